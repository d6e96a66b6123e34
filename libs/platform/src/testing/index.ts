// Test helpers: real Postgres databases and Redis prefixes per test file. Never imported by production code.
export * from './test-database.js';
export * from './test-env.js';
export * from './contract-harness.js';
export * from './context-modules.js';
