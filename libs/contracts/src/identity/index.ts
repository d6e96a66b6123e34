export * from './identity.types.js';
export * from './identity.patterns.js';
export * from './identity.api.js';
export * from './events/user-registered.v1.js';
