import { applyDecorators } from '@nestjs/common';
import { ADMIN_BEARER_SCHEME, BEARER_SCHEME, Public, ApiExtension, ApiSecurity } from '@ficus/platform';
import { Roles } from './roles.decorator.js';

// Each decorator sets who may call a route and documents the same in one place, so the OpenAPI
// document cannot claim a different access rule than the guards apply.

/** Callable without a token; a token that is sent is still verified (a bad one gets 401). */
export const PublicRoute = () => applyDecorators(Public(), ApiSecurity({}), ApiSecurity(BEARER_SCHEME));

/** Needs a signed-in caller (401 without a valid access token). */
export const SignedInRoute = () => ApiSecurity(BEARER_SCHEME);

/** Needs an access token whose roles include admin: 401 without one, 403 for other roles. */
export const AdminRoute = () =>
  applyDecorators(Roles('admin'), ApiSecurity(ADMIN_BEARER_SCHEME), ApiExtension('x-admin', true));
