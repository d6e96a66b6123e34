import { IsNull } from 'typeorm';
import type { SessionRepository, Tx } from '../../domain/ports.js';
import type { StoredRefreshToken, TokenFamily } from '../../domain/refresh-session.js';
import { RefreshTokenOrmEntity, TokenFamilyOrmEntity } from './session.orm-entities.js';
import { asManager } from './typeorm-transaction.runner.js';

export class TypeOrmSessionRepository implements SessionRepository {
  async insertFamily(tx: Tx, family: TokenFamily): Promise<void> {
    await asManager(tx).insert(TokenFamilyOrmEntity, family);
  }

  async insertToken(tx: Tx, token: StoredRefreshToken): Promise<void> {
    await asManager(tx).insert(RefreshTokenOrmEntity, token);
  }

  async findForUpdate(tx: Tx, tokenHash: string) {
    const m = asManager(tx);
    const token = await m.findOne(RefreshTokenOrmEntity, { where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
    if (!token) return null;
    const family = await m.findOne(TokenFamilyOrmEntity, {
      where: { id: token.familyId },
      lock: { mode: 'pessimistic_write' },
    });
    return family ? { token, family } : null;
  }

  async markSpent(tx: Tx, tokenId: string, at: Date): Promise<void> {
    await asManager(tx).update(RefreshTokenOrmEntity, { id: tokenId }, { spentAt: at });
  }

  async revokeFamily(tx: Tx, familyId: string, at: Date): Promise<void> {
    await asManager(tx).update(TokenFamilyOrmEntity, { id: familyId, revokedAt: IsNull() }, { revokedAt: at });
  }
}
