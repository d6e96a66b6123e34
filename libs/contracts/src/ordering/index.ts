export * from './ordering.limits.js';
export * from './ordering.types.js';
export * from './ordering.patterns.js';
export * from './ordering.api.js';
export * from './events/order-placed.v1.js';
export * from './events/order-confirmed.v1.js';
export * from './events/order-cancelled.v1.js';
