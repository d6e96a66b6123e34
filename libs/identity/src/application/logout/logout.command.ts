import { Command } from '@nestjs/cqrs';
import type { CallMeta, RefreshTokenRequest } from '@ficus/contracts';

export class LogoutCommand extends Command<void> {
  constructor(
    readonly data: RefreshTokenRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
