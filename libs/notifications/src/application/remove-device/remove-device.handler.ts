import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DeviceNotFound } from '../../domain/notifications.errors.js';
import { DeviceRepository } from '../../infrastructure/persistence/device.repository.js';
import { RemoveDeviceCommand } from './remove-device.command.js';

/** Own devices only: an unknown token and another user's answer the same `DEVICE_NOT_FOUND`. */
@CommandHandler(RemoveDeviceCommand)
export class RemoveDeviceHandler implements ICommandHandler<RemoveDeviceCommand> {
  constructor(private readonly devices: DeviceRepository) {}

  async execute({ data }: RemoveDeviceCommand): Promise<void> {
    if (!(await this.devices.removeOwned(data.userId.toLowerCase(), data.token))) throw new DeviceNotFound();
  }
}
