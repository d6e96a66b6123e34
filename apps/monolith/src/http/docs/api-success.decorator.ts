import { applyDecorators, type Type } from '@nestjs/common';
import { successHeaders } from './api-headers.js';
import { ApiHeader, ApiResponse } from '@ficus/platform';

// Node refuses request heads over 16 KiB (--max-http-header-size), so no header value is longer.
const MAX_HEADER_LENGTH = 16_384;

/**
 * The 200 of a GET under /v1: every such answer gets an ETag (libs/platform/src/http/etag.hook.ts), and
 * a matching If-None-Match gets 304 without a body.
 */
export const ApiRead = (type: Type, description?: string) =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The ETag of the copy the client holds',
      schema: { type: 'string', maxLength: MAX_HEADER_LENGTH },
    }),
    ApiResponse({ status: 200, type, description: description ?? 'OK', headers: successHeaders('ETag') }),
    ApiResponse({
      status: 304,
      description: 'Not modified: the If-None-Match ETag is current',
      headers: successHeaders(),
    }),
  );

/** The success answer of a write (`type` omitted when there is no body, e.g. 204). */
export const ApiWrite = (status: 200 | 201 | 202 | 204, options: { type?: Type; description: string }) =>
  ApiResponse({ status, type: options.type, description: options.description, headers: successHeaders() });
