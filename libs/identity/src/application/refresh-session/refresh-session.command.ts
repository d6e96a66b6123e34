import { Command } from '@nestjs/cqrs';
import type { AuthSessionView, CallMeta, RefreshTokenRequest } from '@ficus/contracts';

export class RefreshSessionCommand extends Command<AuthSessionView> {
  constructor(
    readonly data: RefreshTokenRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
