export * from './contexts.js';
export * from './subscriptions.js';
export * from './messaging/call-meta.js';
export * from './messaging/contract-error.js';
export * from './messaging/integration-event.js';
export * from './identity/index.js';
export * from './catalog/index.js';
export * from './messaging/pattern-kind.js';
