export * from './recurring-job.js';
