import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import type { Tx, UserRepository } from '../../domain/ports.js';
import type { User } from '../../domain/user.aggregate.js';
import { EmailTaken } from '../../domain/user.errors.js';
import { usersChanged } from '../cache/identity-read-models.js';
import { UserMapper } from './user.mapper.js';
import { UserOrmEntity } from './user.orm-entity.js';
import { asManager } from './typeorm-transaction.runner.js';

const UNIQUE_VIOLATION = '23505';

export class TypeOrmUserRepository implements UserRepository {
  constructor(@InjectRepository(UserOrmEntity, 'identity') private readonly users: Repository<UserOrmEntity>) {}

  private repo(tx?: Tx): Repository<UserOrmEntity> {
    return tx ? asManager(tx).getRepository(UserOrmEntity) : this.users;
  }

  async insert(tx: Tx, user: User): Promise<void> {
    try {
      await this.repo(tx).insert(UserMapper.toOrm(user));
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === UNIQUE_VIOLATION) throw new EmailTaken();
      throw error;
    }
  }

  async update(tx: Tx, user: User): Promise<void> {
    const { id, ...rest } = UserMapper.toOrm(user);
    usersChanged(tx, [id]);
    await this.repo(tx).update({ id }, rest);
  }

  async findById(id: string, tx?: Tx): Promise<User | null> {
    const row = await this.repo(tx).findOneBy({ id });
    return row ? UserMapper.toDomain(row) : null;
  }

  async findByEmail(email: string, tx?: Tx): Promise<User | null> {
    const row = await this.repo(tx).findOneBy({ email });
    return row ? UserMapper.toDomain(row) : null;
  }

  async findByEmailForUpdate(tx: Tx, email: string): Promise<User | null> {
    const row = await this.repo(tx).findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
    return row ? UserMapper.toDomain(row) : null;
  }
}
