import { Command } from '@nestjs/cqrs';
import type { CallMeta, GrantAdminRequest, UserView } from '@ficus/contracts';

export class GrantAdminCommand extends Command<UserView> {
  constructor(
    readonly data: GrantAdminRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
