import type { UserView } from '@ficus/contracts';
import { User } from '../../domain/user.aggregate.js';
import { UserOrmEntity } from './user.orm-entity.js';

export const UserMapper = {
  toDomain(row: UserOrmEntity): User {
    return User.restore({ ...row, roles: [...row.roles] });
  },
  toOrm(user: User): UserOrmEntity {
    return Object.assign(new UserOrmEntity(), user.snapshot());
  },
  toView(user: User): UserView {
    const s = user.snapshot();
    return { id: s.id, email: s.email, name: s.name, roles: s.roles, createdAt: s.createdAt.toISOString() };
  },
};
