export * from './jwt-keys.js';
export * from './access-token.verifier.js';
export * from './auth-keys.module.js';
