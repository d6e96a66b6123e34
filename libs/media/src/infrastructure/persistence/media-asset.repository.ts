import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, QueryFailedError } from 'typeorm';
import type { MediaAsset } from '../../domain/media-asset.aggregate.js';
import { UploadAlreadyRegistered } from '../../domain/media.errors.js';
import type { MediaAssetRepository, Tx } from '../../domain/ports.js';
import { MediaAssetMapper } from './media-asset.mapper.js';
import { MediaAssetOrmEntity } from './media-asset.orm-entity.js';
import { asManager } from './typeorm-transaction.runner.js';

export class TypeOrmMediaAssetRepository implements MediaAssetRepository {
  constructor(@InjectDataSource('media') private readonly dataSource: DataSource) {}

  async insert(tx: Tx, asset: MediaAsset): Promise<void> {
    try {
      await asManager(tx).getRepository(MediaAssetOrmEntity).insert(MediaAssetMapper.toOrm(asset));
    } catch (error) {
      if (uniqueViolation(error) === 'assets_upload_key_key') throw new UploadAlreadyRegistered();
      throw error;
    }
  }

  async save(tx: Tx, asset: MediaAsset): Promise<void> {
    const { id, ...rest } = MediaAssetMapper.toOrm(asset);
    await asManager(tx).getRepository(MediaAssetOrmEntity).update({ id }, rest);
  }

  async findById(id: string): Promise<MediaAsset | null> {
    const row = await this.dataSource.getRepository(MediaAssetOrmEntity).findOneBy({ id });
    return row ? MediaAssetMapper.toDomain(row) : null;
  }

  async findByIdForUpdate(tx: Tx, id: string): Promise<MediaAsset | null> {
    const row = await asManager(tx)
      .getRepository(MediaAssetOrmEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return row ? MediaAssetMapper.toDomain(row) : null;
  }

  async uploadKeysInProcessing(uploadKeys: string[]): Promise<Set<string>> {
    if (uploadKeys.length === 0) return new Set();
    const rows: { upload_key: string }[] = await this.dataSource.query(
      `SELECT upload_key FROM media.assets WHERE upload_key = ANY($1::text[]) AND status = 'PROCESSING'`,
      [uploadKeys],
    );
    return new Set(rows.map((row) => row.upload_key));
  }
}

function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? driverError.constraint : undefined;
}
