import { Command } from '@nestjs/cqrs';
import type { AuthSessionView, CallMeta, LoginRequest } from '@ficus/contracts';

export class LoginCommand extends Command<AuthSessionView> {
  constructor(
    readonly data: LoginRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
