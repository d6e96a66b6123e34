import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { UserView } from '@ficus/contracts';
import { CacheInvalidationBus, noteChange, opaqueVersion, type ReadModelCache } from '@ficus/platform';
import type { Tx } from '../../domain/ports.js';

/** Cache name (also the name other replicas evict by). */
export const USER_VIEWS = 'identity.user';

// xmin: the transaction that wrote the row's current version; every committed write changes it.
const USER_BY_ID = `SELECT id, email, name, roles, created_at, xmin::text AS row_version
  FROM identity.users WHERE id = $1`;

interface UserViewRow {
  id: string;
  email: string;
  name: string;
  roles: string[];
  created_at: Date;
  row_version: string;
}

export interface VersionedUserView {
  version: string;
  view: UserView;
}

/**
 * Identity's cached user view (`GET /v1/me`), with its version for ETags. Filled on a miss by one named
 * statement on TypeORM's pool (parsed and planned once per connection, none of TypeORM's per-query work);
 * the user repository notes every update (`usersChanged`) and the transaction runner evicts it after the
 * commit, here and in other replicas.
 */
@Injectable()
export class IdentityReadModels {
  private readonly users: ReadModelCache<VersionedUserView>;

  constructor(
    bus: CacheInvalidationBus,
    @InjectDataSource('identity') private readonly dataSource: DataSource,
  ) {
    this.users = bus.cache(USER_VIEWS);
  }

  user(id: string): Promise<VersionedUserView | null> {
    return this.users.get(id, async () => {
      const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
      const { rows } = await pool.query<UserViewRow>({ name: 'identity.user-by-id', text: USER_BY_ID, values: [id] });
      const row = rows[0];
      if (!row) return null;
      return {
        version: opaqueVersion(USER_VIEWS, 'v1', row.row_version),
        view: {
          id: row.id,
          email: row.email,
          name: row.name,
          roles: row.roles,
          createdAt: row.created_at.toISOString(),
        },
      };
    });
  }
}

/** Inside a transaction: these users' views change when it commits (evicted after the commit). */
export function usersChanged(tx: Tx, ids: string[]): void {
  noteChange(tx, USER_VIEWS, ids);
}
