import { Command } from '@nestjs/cqrs';
import type { CallMeta, UpdateProfileRequest, UserView } from '@ficus/contracts';

export class UpdateProfileCommand extends Command<UserView> {
  constructor(
    readonly data: UpdateProfileRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
