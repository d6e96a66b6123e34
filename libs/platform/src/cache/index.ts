export * from './read-model-cache.js';
export * from './cache-invalidation.bus.js';
export * from './committed-changes.js';
