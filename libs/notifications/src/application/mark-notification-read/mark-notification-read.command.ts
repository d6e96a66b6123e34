import { Command } from '@nestjs/cqrs';
import type { CallMeta, MarkNotificationReadRequest } from '@ficus/contracts';

export class MarkNotificationReadCommand extends Command<void> {
  constructor(
    readonly data: MarkNotificationReadRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
