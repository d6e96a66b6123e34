export * from './ficus-logger.js';
export * from './logging.module.js';
export * from './request-context.js';
export * from './rpc-logging.interceptor.js';
