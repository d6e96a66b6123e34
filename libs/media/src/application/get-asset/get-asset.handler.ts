import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { MediaAssetView } from '@ficus/contracts';
import { MediaNotFound } from '../../domain/media.errors.js';
import type { MediaAssetRepository } from '../../domain/ports.js';
import { MediaAssetMapper } from '../../infrastructure/persistence/media-asset.mapper.js';
import { MEDIA_ASSET_REPOSITORY } from '../../media.di-tokens.js';
import { GetAssetQuery } from './get-asset.query.js';

/** An asset's status, with its variants' URLs and sizes once READY. */
@QueryHandler(GetAssetQuery)
export class GetAssetHandler implements IQueryHandler<GetAssetQuery> {
  constructor(@Inject(MEDIA_ASSET_REPOSITORY) private readonly assets: MediaAssetRepository) {}

  async execute({ data }: GetAssetQuery): Promise<MediaAssetView> {
    const asset = await this.assets.findById(data.mediaId);
    if (!asset) throw new MediaNotFound();
    return MediaAssetMapper.toView(asset);
  }
}
