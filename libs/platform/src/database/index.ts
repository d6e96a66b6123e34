export * from './database-urls.js';
export * from './db-setup.js';
export * from './context-data.module.js';
export * from './prepared-sql.js';
export * from './group-commit.js';
