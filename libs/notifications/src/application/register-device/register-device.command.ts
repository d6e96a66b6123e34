import { Command } from '@nestjs/cqrs';
import type { CallMeta, DeviceView, RegisterDeviceRequest } from '@ficus/contracts';

export class RegisterDeviceCommand extends Command<DeviceView> {
  constructor(
    readonly data: RegisterDeviceRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
