import type { ConditionalReadRequest } from '../messaging/conditional-read.js';
/** A user as other contexts and the facade see it. */
export interface UserView {
  /** UUIDv7. */
  id: string;
  /** Lower-cased e-mail address. */
  email: string;
  /** Display name. */
  name: string;
  /** `["customer"]`, or `["customer","admin"]` for administrators. */
  roles: string[];
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** A signed-in session: the user plus a fresh token pair. */
export interface AuthSessionView {
  /** The signed-in user. */
  user: UserView;
  /** ES256 JWT, short-lived. */
  accessToken: string;
  /** Opaque, single-use, rotated on every refresh. */
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
  /** Always `Bearer`. */
  tokenType: 'Bearer';
}

/** Register a new customer. */
export interface RegisterUserRequest {
  email: string;
  password: string;
  name: string;
}

/** Sign in with e-mail and password. */
export interface LoginRequest {
  email: string;
  password: string;
}

/** Exchange a refresh token for a new pair, or end the session it belongs to. */
export interface RefreshTokenRequest {
  refreshToken: string;
}

/** Look a user up by id. */
export interface GetUserRequest {
  userId: string;
}

/** One user with its version; `value` is null when the version is one of `ifNoneMatch`. */
export interface GetUserConditionalRequest extends GetUserRequest, ConditionalReadRequest {}

/** Change the editable fields of the caller's own profile. */
export interface UpdateProfileRequest {
  userId: string;
  name?: string;
}

/** Give a user the admin role (operator tooling). */
export interface GrantAdminRequest {
  email: string;
}
