import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UserView } from '@ficus/contracts';
import type { TransactionRunner, UserRepository } from '../../domain/ports.js';
import { UserNotFound } from '../../domain/user.errors.js';
import { TRANSACTION_RUNNER, USER_REPOSITORY } from '../../identity.di-tokens.js';
import { UserMapper } from '../../infrastructure/persistence/user.mapper.js';
import { UpdateProfileCommand } from './update-profile.command.js';

@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand> {
  constructor(
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
  ) {}

  async execute({ data, meta }: UpdateProfileCommand): Promise<UserView> {
    // Only the user may edit their own profile; another caller learns nothing about the account.
    if (meta.actor?.userId !== data.userId) throw new UserNotFound();
    return this.transactions.run(async (tx) => {
      const user = await this.users.findById(data.userId, tx);
      if (!user) throw new UserNotFound();
      if (data.name !== undefined) user.rename(data.name, new Date());
      await this.users.update(tx, user);
      return UserMapper.toView(user);
    });
  }
}
