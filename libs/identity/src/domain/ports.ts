import type { User } from './user.aggregate.js';
import type { StoredRefreshToken, TokenFamily } from './refresh-session.js';

/** An open transaction, opaque to the domain; repositories know what it really is. */
export interface Tx {
  readonly __tx: unique symbol;
}

export interface TransactionRunner {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface UserRepository {
  /** Throws `EmailTaken` when the e-mail is in use. */
  insert(tx: Tx, user: User): Promise<void>;
  update(tx: Tx, user: User): Promise<void>;
  findById(id: string, tx?: Tx): Promise<User | null>;
  findByEmail(email: string, tx?: Tx): Promise<User | null>;
  /** Locks the row for the rest of the transaction. */
  findByEmailForUpdate(tx: Tx, email: string): Promise<User | null>;
}

export interface SessionRepository {
  insertFamily(tx: Tx, family: TokenFamily): Promise<void>;
  insertToken(tx: Tx, token: StoredRefreshToken): Promise<void>;
  /** The token and its family, both locked, so two refreshes of one token serialize. */
  findForUpdate(tx: Tx, tokenHash: string): Promise<{ token: StoredRefreshToken; family: TokenFamily } | null>;
  markSpent(tx: Tx, tokenId: string, at: Date): Promise<void>;
  revokeFamily(tx: Tx, familyId: string, at: Date): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Burns the same time as a real verification, for unknown e-mails. */
  verifyDummy(password: string): Promise<void>;
}

export interface AccessTokenIssuer {
  issue(user: { id: string; roles: string[] }): Promise<{ token: string; expiresIn: number }>;
}
