export * from './catalog.limits.js';
export * from './catalog.types.js';
export * from './catalog.patterns.js';
export * from './catalog.api.js';
export * from './events/stock-reserved.v1.js';
export * from './events/stock-released.v1.js';
export * from './events/product-updated.v1.js';
