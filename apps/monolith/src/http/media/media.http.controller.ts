import { Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type CallMeta,
  MEDIA_API,
  MEDIA_CONTENT_TYPES,
  MEDIA_VARIANTS,
  type MediaApi,
  MediaLimits,
  type MediaVariantName,
} from '@ficus/contracts';
import {
  BLOB_STORAGE,
  type BlobStorage,
  HttpProblem,
  MULTIPART_ROUTE,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@ficus/platform';
import { Meta } from '../auth/actor.decorator.js';
import { PublicRoute, SignedInRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { successHeaders } from '../docs/api-headers.js';
import { ApiRead } from '../docs/api-success.decorator.js';
import { MediaUploadReceiver } from './media-upload.receiver.js';
import { MediaAssetResponseDto, RegisteredUploadResponseDto } from './media.response.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A variant's bytes never change once READY (new bytes are a new asset), so caches may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const notFound = () => new HttpProblem(404, 'MEDIA_NOT_FOUND', 'No such media asset or variant.');

/**
 * Images. An upload is streamed into the shared blob storage and registered with media, which makes the
 * variants in a job (202 PROCESSING at once); variant bytes are streamed from storage by the key media
 * names. Ids that cannot exist are 404 like unknown ones: a client cannot tell the two apart anyway.
 */
@ApiTags('media')
@Controller('media')
export class MediaHttpController {
  constructor(
    @Inject(MEDIA_API) private readonly media: MediaApi,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    private readonly uploads: MediaUploadReceiver,
  ) {}

  @Post()
  @HttpCode(202)
  @SignedInRoute()
  @RouteConfig(MULTIPART_ROUTE)
  @ApiOperation({
    summary: 'Upload an image',
    description:
      `multipart/form-data with one field "file": a JPEG, PNG or WebP (judged by its bytes, not its name or ` +
      `declared type) of at most ${MediaLimits.maxUploadBytes} bytes. Answers PROCESSING at once; poll ` +
      'GET /v1/media/{id} until READY (variants made) or FAILED (the image could not be read).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', maxLength: MediaLimits.maxUploadBytes } },
    },
  })
  @ApiResponse({ status: 202, type: RegisteredUploadResponseDto, description: 'Accepted', headers: successHeaders() })
  @ApiProblems(
    [400, 'VALIDATION_FAILED: no file field named "file"'],
    [413, 'PAYLOAD_TOO_LARGE: here, a file over 10 MiB'],
    [415, 'UNSUPPORTED_MEDIA_TYPE: here, a body that is not multipart/form-data or a file that is no JPEG/PNG/WebP'],
  )
  upload(@Req() request: FastifyRequest, @Meta() meta: CallMeta) {
    return this.uploads.receive(request, meta);
  }

  @Get(':id')
  @PublicRoute()
  @ApiOperation({ summary: 'An image and its variants', description: 'Each variant is null until READY.' })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiRead(MediaAssetResponseDto)
  @ApiProblems([404, 'MEDIA_NOT_FOUND'])
  asset(@Param('id') id: string, @Meta() meta: CallMeta) {
    if (!UUID.test(id)) throw notFound();
    return this.media.getAsset({ mediaId: id.toLowerCase() }, meta);
  }

  @Get(':id/:variant')
  @PublicRoute()
  @ApiOperation({
    summary: "An image variant's bytes",
    description: 'Public once READY (404 before). Cacheable for good: strong ETag, immutable; If-None-Match → 304.',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiParam({ name: 'variant', schema: { type: 'string', enum: [...MEDIA_VARIANTS] } })
  @ApiProduces(...MEDIA_CONTENT_TYPES)
  @ApiResponse({
    status: 200,
    description: 'The image',
    headers: successHeaders('ETag'),
    content: Object.fromEntries(
      MEDIA_CONTENT_TYPES.map((type) => [
        type,
        { schema: { type: 'string', format: 'binary', maxLength: MediaLimits.maxUploadBytes * 4 } },
      ]),
    ),
  })
  @ApiResponse({ status: 304, description: 'Not modified', headers: successHeaders() })
  @ApiProblems([404, 'MEDIA_NOT_FOUND'])
  async variant(
    @Param('id') id: string,
    @Param('variant') variant: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Meta() meta: CallMeta,
    @Res() reply: FastifyReply,
  ) {
    if (!UUID.test(id) || !(MEDIA_VARIANTS as readonly string[]).includes(variant)) throw notFound();
    const location = await this.media.getVariant(
      { mediaId: id.toLowerCase(), variant: variant as MediaVariantName },
      meta,
    );
    reply.header('etag', location.etag).header('cache-control', IMMUTABLE);
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === location.etag)) {
      return reply.code(304).send();
    }
    const bytes = await this.storage.get(location.storageKey);
    if (!bytes) throw notFound();
    return reply.type(location.contentType).header('content-length', String(location.size)).send(bytes);
  }
}
