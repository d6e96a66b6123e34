/** Ports are injected by Symbol so the application layer never names an implementation. */
export const USER_REPOSITORY = Symbol('identity.UserRepository');
export const SESSION_REPOSITORY = Symbol('identity.SessionRepository');
export const TRANSACTION_RUNNER = Symbol('identity.TransactionRunner');
export const PASSWORD_HASHER = Symbol('identity.PasswordHasher');
export const ACCESS_TOKEN_ISSUER = Symbol('identity.AccessTokenIssuer');
