import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { UserView } from '@ficus/contracts';
import type { UserRepository } from '../../domain/ports.js';
import { UserNotFound } from '../../domain/user.errors.js';
import { USER_REPOSITORY } from '../../identity.di-tokens.js';
import { UserMapper } from '../../infrastructure/persistence/user.mapper.js';
import { GetUserQuery } from './get-user.query.js';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(@Inject(USER_REPOSITORY) private readonly users: UserRepository) {}

  async execute({ data }: GetUserQuery): Promise<UserView> {
    const user = await this.users.findById(data.userId);
    if (!user) throw new UserNotFound();
    return UserMapper.toView(user);
  }
}
