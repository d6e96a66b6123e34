export * from './media.limits.js';
export * from './media.types.js';
export * from './media.patterns.js';
export * from './media.api.js';
export * from './events/asset-ready.v1.js';
