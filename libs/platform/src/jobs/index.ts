export * from './recurring-job.js';
export * from './job-queues.module.js';
