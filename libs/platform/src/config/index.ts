export * from './env-parsers.js';
export * from './ficus.config.js';
