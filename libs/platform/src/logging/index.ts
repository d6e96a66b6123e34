export * from './logging.module.js';
export * from './rpc-logging.interceptor.js';
