import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { MediaVariantLocation } from '@ficus/contracts';
import { MediaNotFound } from '../../domain/media.errors.js';
import type { MediaAssetRepository } from '../../domain/ports.js';
import { MEDIA_ASSET_REPOSITORY } from '../../media.di-tokens.js';
import { GetVariantQuery } from './get-variant.query.js';

/** Where a READY asset's variant is stored and how to answer with it; the caller streams the bytes. */
@QueryHandler(GetVariantQuery)
export class GetVariantHandler implements IQueryHandler<GetVariantQuery> {
  constructor(@Inject(MEDIA_ASSET_REPOSITORY) private readonly assets: MediaAssetRepository) {}

  async execute({ data }: GetVariantQuery): Promise<MediaVariantLocation> {
    const asset = await this.assets.findById(data.mediaId);
    if (!asset) throw new MediaNotFound();
    const { key, size, etag } = asset.variant(data.variant);
    return { storageKey: key, contentType: asset.snapshot().contentType, size, etag };
  }
}
