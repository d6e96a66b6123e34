export * from './shutdown-state.js';
export * from './indicators.js';
export * from './health.module.js';
