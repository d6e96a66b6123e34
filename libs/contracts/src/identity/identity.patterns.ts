/** Message patterns identity answers. Versioned: a breaking change is a new pattern beside the old one. */
export const IdentityPatterns = {
  registerUser: 'identity.register-user.v1',
  login: 'identity.login.v1',
  refreshSession: 'identity.refresh-session.v1',
  logout: 'identity.logout.v1',
  getUser: 'identity.get-user.v1',
  getUserConditional: 'identity.get-user-conditional.v1',
  updateProfile: 'identity.update-profile.v1',
  grantAdmin: 'identity.grant-admin.v1',
} as const;
