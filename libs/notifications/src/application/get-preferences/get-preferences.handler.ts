import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { NotificationPreferencesView } from '@ficus/contracts';
import { PreferenceRepository } from '../../infrastructure/persistence/preference.repository.js';
import { GetPreferencesQuery } from './get-preferences.query.js';

/** All channels on until the user changes them. */
@QueryHandler(GetPreferencesQuery)
export class GetPreferencesHandler implements IQueryHandler<GetPreferencesQuery> {
  constructor(private readonly preferences: PreferenceRepository) {}

  execute({ data }: GetPreferencesQuery): Promise<NotificationPreferencesView> {
    return this.preferences.get(data.userId.toLowerCase());
  }
}
