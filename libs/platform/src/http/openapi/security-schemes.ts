/** Security scheme of routes that need a signed-in caller (any role). */
export const BEARER_SCHEME = 'bearer';
/**
 * Security scheme of admin routes: the same kind of token, but its `roles` claim must hold `admin`. A
 * scheme of its own lets tools (and the OWASP lint) tell admin routes from the others.
 */
export const ADMIN_BEARER_SCHEME = 'adminBearer';
