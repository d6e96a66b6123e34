export * from './notifications.limits.js';
export * from './notifications.types.js';
export * from './notifications.patterns.js';
export * from './notifications.api.js';
