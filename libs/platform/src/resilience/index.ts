export * from './circuit-breaker.js';
export * from './breaker-registry.js';
