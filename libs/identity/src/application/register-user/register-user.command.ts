import { Command } from '@nestjs/cqrs';
import type { AuthSessionView, CallMeta, RegisterUserRequest } from '@ficus/contracts';

export class RegisterUserCommand extends Command<AuthSessionView> {
  constructor(
    readonly data: RegisterUserRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
