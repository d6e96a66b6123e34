import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UserView } from '@ficus/contracts';
import type { TransactionRunner, UserRepository } from '../../domain/ports.js';
import { UserNotFound } from '../../domain/user.errors.js';
import { TRANSACTION_RUNNER, USER_REPOSITORY } from '../../identity.di-tokens.js';
import { UserMapper } from '../../infrastructure/persistence/user.mapper.js';
import { GrantAdminCommand } from './grant-admin.command.js';

/** Operator tooling (`users:grant-admin`); idempotent. Takes effect in access tokens issued afterwards. */
@CommandHandler(GrantAdminCommand)
export class GrantAdminHandler implements ICommandHandler<GrantAdminCommand> {
  constructor(
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
  ) {}

  async execute({ data }: GrantAdminCommand): Promise<UserView> {
    return this.transactions.run(async (tx) => {
      const user = await this.users.findByEmailForUpdate(tx, data.email.trim().toLowerCase());
      if (!user) throw new UserNotFound();
      if (user.grantAdmin(new Date())) await this.users.update(tx, user);
      return UserMapper.toView(user);
    });
  }
}
