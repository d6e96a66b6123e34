import { Command } from '@nestjs/cqrs';
import type { CallMeta, RemoveDeviceRequest } from '@ficus/contracts';

export class RemoveDeviceCommand extends Command<void> {
  constructor(
    readonly data: RemoveDeviceRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
