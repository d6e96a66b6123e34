export * from './payments.limits.js';
export * from './payments.types.js';
export * from './payments.patterns.js';
export * from './payments.api.js';
export * from './events/payment-succeeded.v1.js';
export * from './events/payment-failed.v1.js';
export * from './events/payment-refunded.v1.js';
