import {
  type MediaAssetView,
  mediaVariantPath,
  MEDIA_VARIANTS,
  type MediaVariantName,
  type MediaVariantView,
} from '@ficus/contracts';
import { MediaAsset, type StoredVariants } from '../../domain/media-asset.aggregate.js';
import { MediaAssetOrmEntity } from './media-asset.orm-entity.js';

export const MediaAssetMapper = {
  toDomain(row: MediaAssetOrmEntity): MediaAsset {
    return MediaAsset.restore({ ...row });
  },
  toOrm(asset: MediaAsset): MediaAssetOrmEntity {
    return Object.assign(new MediaAssetOrmEntity(), asset.snapshot());
  },
  /** Public paths and sizes of stored variants (the API's and the ready event's `variants`). */
  toVariantViews(id: string, variants: StoredVariants): Record<MediaVariantName, MediaVariantView> {
    const views = {} as Record<MediaVariantName, MediaVariantView>;
    for (const name of MEDIA_VARIANTS) {
      const { width, height } = variants[name];
      views[name] = { url: mediaVariantPath(id, name), width, height };
    }
    return views;
  },
  toView(asset: MediaAsset): MediaAssetView {
    const s = asset.snapshot();
    return {
      id: s.id,
      status: s.status,
      contentType: s.contentType,
      size: s.size,
      variants:
        s.status === 'READY' && s.variants
          ? MediaAssetMapper.toVariantViews(s.id, s.variants)
          : { original: null, thumb: null, medium: null },
    };
  },
};
