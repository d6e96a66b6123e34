import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { NotificationPreferencesView } from '@ficus/contracts';
import { PreferenceRepository } from '../../infrastructure/persistence/preference.repository.js';
import { UpdatePreferencesCommand } from './update-preferences.command.js';

/** Replaces all three; the next event's sends follow them (the inbox item is written whatever they say). */
@CommandHandler(UpdatePreferencesCommand)
export class UpdatePreferencesHandler implements ICommandHandler<UpdatePreferencesCommand> {
  constructor(private readonly preferences: PreferenceRepository) {}

  execute({ data }: UpdatePreferencesCommand): Promise<NotificationPreferencesView> {
    const { email, push, sms } = data;
    return this.preferences.put(data.userId.toLowerCase(), { email, push, sms }, new Date());
  }
}
