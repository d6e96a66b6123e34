import type { CallMeta } from '../messaging/call-meta.js';
import type { ConditionalRead } from '../messaging/conditional-read.js';
import type {
  AuthSessionView,
  GetUserConditionalRequest,
  GetUserRequest,
  GrantAdminRequest,
  LoginRequest,
  RefreshTokenRequest,
  RegisterUserRequest,
  UpdateProfileRequest,
  UserView,
} from './identity.types.js';

/** Identity's public API. The facade injects it by `IDENTITY_API`; it works in-process or over Redis alike. */
export interface IdentityApi {
  /** Create a customer account and sign it in. Fails with `EMAIL_TAKEN`. */
  registerUser(data: RegisterUserRequest, meta: CallMeta): Promise<AuthSessionView>;
  /** Sign in. Fails with `INVALID_CREDENTIALS` for an unknown e-mail and a wrong password alike. */
  login(data: LoginRequest, meta: CallMeta): Promise<AuthSessionView>;
  /** Rotate a refresh token. Reusing a spent one revokes its whole family. */
  refreshSession(data: RefreshTokenRequest, meta: CallMeta): Promise<AuthSessionView>;
  /** Revoke the family a refresh token belongs to. Unknown tokens are ignored. */
  logout(data: RefreshTokenRequest, meta: CallMeta): Promise<void>;
  /** Fetch one user. Fails with `USER_NOT_FOUND`. */
  getUser(data: GetUserRequest, meta: CallMeta): Promise<UserView>;
  /** Fetch one user with its version, or only the version when the caller has it. Fails with `USER_NOT_FOUND`. */
  getUserConditional(data: GetUserConditionalRequest, meta: CallMeta): Promise<ConditionalRead<UserView>>;
  /** Update the caller's profile. */
  updateProfile(data: UpdateProfileRequest, meta: CallMeta): Promise<UserView>;
  /** Make a user an administrator. Fails with `USER_NOT_FOUND`. */
  grantAdmin(data: GrantAdminRequest, meta: CallMeta): Promise<UserView>;
}

/** Injection token for `IdentityApi`. */
export const IDENTITY_API = Symbol.for('ficus.IdentityApi');
