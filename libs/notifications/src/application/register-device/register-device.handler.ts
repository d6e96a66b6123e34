import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DeviceView } from '@ficus/contracts';
import { DeviceRepository } from '../../infrastructure/persistence/device.repository.js';
import { RegisterDeviceCommand } from './register-device.command.js';

/** Idempotent per token; a token another user registered moves to this one (the phone changed hands). */
@CommandHandler(RegisterDeviceCommand)
export class RegisterDeviceHandler implements ICommandHandler<RegisterDeviceCommand> {
  constructor(private readonly devices: DeviceRepository) {}

  execute({ data }: RegisterDeviceCommand): Promise<DeviceView> {
    return this.devices.upsert(data.userId.toLowerCase(), data.token, data.platform, new Date());
  }
}
