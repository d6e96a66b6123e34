/** Bounds of identity fields at the facade; the identity context enforces the same ones again. */
export const IdentityLimits = {
  /** RFC 5321. */
  emailMaxLength: 254,
  passwordMinLength: 10,
  passwordMaxLength: 128,
  nameMaxLength: 100,
  /** Issued tokens are 43 characters; the bound leaves room to change that without a new API version. */
  refreshTokenMaxLength: 512,
  /** The access-token guard refuses longer tokens outright. */
  accessTokenMaxLength: 4096,
} as const;

/** The roles a user can hold. */
export const ROLES = ['customer', 'admin'] as const;
