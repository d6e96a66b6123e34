import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { UserView } from '@ficus/contracts';
import { UserNotFound } from '../../domain/user.errors.js';
import { IdentityReadModels } from '../../infrastructure/cache/identity-read-models.js';
import { GetUserQuery } from './get-user.query.js';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly readModels: IdentityReadModels) {}

  async execute({ data }: GetUserQuery): Promise<UserView> {
    const found = await this.readModels.user(data.userId);
    if (!found) throw new UserNotFound();
    return found.view;
  }
}
