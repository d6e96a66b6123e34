import { Command } from '@nestjs/cqrs';
import type { CallMeta, NotificationPreferencesView, UpdatePreferencesRequest } from '@ficus/contracts';

export class UpdatePreferencesCommand extends Command<NotificationPreferencesView> {
  constructor(
    readonly data: UpdatePreferencesRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
