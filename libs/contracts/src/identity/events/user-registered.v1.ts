import { defineEvent } from '../../messaging/integration-event.js';

/** Payload of `identity.user-registered.v1`: a customer account was created. */
export interface UserRegisteredV1 {
  userId: string;
  email: string;
  name: string;
  /** ISO 8601 UTC. */
  registeredAt: string;
}

/** Published once per new account; notifications sends the welcome e-mail from it. */
export const UserRegisteredV1 = defineEvent<UserRegisteredV1>('identity', 'identity.user-registered.v1');
