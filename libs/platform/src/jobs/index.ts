export * from './recurring-job.js';
export * from './queue-registry.js';
export * from './job-queues.module.js';
