export * from './recurring-job.js';
export * from './queue-registry.js';
