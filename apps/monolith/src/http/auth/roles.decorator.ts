import { SetMetadata } from '@nestjs/common';

export const REQUIRED_ROLES = 'ficus:roles';

/** Restricts a route to callers holding all of these roles (from the verified access token). */
export const Roles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);
