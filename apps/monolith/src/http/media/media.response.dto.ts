import {
  MEDIA_CONTENT_TYPES,
  type MediaAssetView,
  MediaLimits,
  type MediaStatus,
  type MediaVariantName,
  type MediaVariantView,
  type RegisteredUpload,
} from '@ficus/contracts';
import { ApiInteger, ApiText, ApiUuid } from '../docs/api-fields.decorator.js';
import { ApiProperty } from '@ficus/platform';

const STATUSES: MediaStatus[] = ['PROCESSING', 'READY', 'FAILED'];
// libvips' own ceiling on a dimension; the pixel limit keeps real images far below it.
const MAX_DIMENSION = 10_000_000;

export class RegisteredUploadResponseDto implements RegisteredUpload {
  @ApiUuid() id: string;
  @ApiProperty({ enum: ['PROCESSING'], description: 'Always PROCESSING: variants are made after the answer' })
  status: MediaStatus;
  @ApiProperty({ enum: MEDIA_CONTENT_TYPES, description: 'Sniffed from the bytes, not taken from the request' })
  contentType: (typeof MEDIA_CONTENT_TYPES)[number];
  @ApiInteger(1, MediaLimits.maxUploadBytes, { description: 'Bytes' }) size: number;
}

export class MediaVariantResponseDto implements MediaVariantView {
  @ApiText(100, { format: 'uri-reference', example: '/v1/media/0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10/thumb' })
  url: string;
  @ApiInteger(1, MAX_DIMENSION) width: number;
  @ApiInteger(1, MAX_DIMENSION) height: number;
}

export class MediaVariantsResponseDto implements Record<MediaVariantName, MediaVariantView | null> {
  @ApiProperty({ type: MediaVariantResponseDto, nullable: true, description: 'Full size, upright, without metadata' })
  original: MediaVariantResponseDto | null;
  @ApiProperty({
    type: MediaVariantResponseDto,
    nullable: true,
    description: `Inside ${MediaLimits.thumbBox}×${MediaLimits.thumbBox}`,
  })
  thumb: MediaVariantResponseDto | null;
  @ApiProperty({
    type: MediaVariantResponseDto,
    nullable: true,
    description: `Inside ${MediaLimits.mediumBox}×${MediaLimits.mediumBox}`,
  })
  medium: MediaVariantResponseDto | null;
}

export class MediaAssetResponseDto implements MediaAssetView {
  @ApiUuid() id: string;
  @ApiProperty({ enum: STATUSES }) status: MediaStatus;
  @ApiProperty({ enum: MEDIA_CONTENT_TYPES }) contentType: (typeof MEDIA_CONTENT_TYPES)[number];
  @ApiInteger(1, MediaLimits.maxUploadBytes, { description: 'Bytes of the upload' }) size: number;
  @ApiProperty({ type: MediaVariantsResponseDto, description: 'Each variant null until READY' })
  variants: MediaVariantsResponseDto;
}
