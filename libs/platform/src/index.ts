// The platform: plumbing every context and host shares. Contexts may import from here and from
// @ficus/contracts, and from nothing else outside themselves.
export * from './errors/index.js';
export * from './config/index.js';
export * from './database/index.js';
export * from './messaging/index.js';
export * from './outbox/index.js';
export * from './redis/index.js';
export * from './cache/index.js';
export * from './auth/index.js';
export * from './http/index.js';
export * from './health/index.js';
export * from './metrics/index.js';
export * from './logging/index.js';
export * from './platform.module.js';
export * from './resilience/index.js';
export * from './hosting/index.js';
export * from './jobs/index.js';
export * from './idempotency/index.js';
export * from './storage/index.js';
export * from './pagination/index.js';
