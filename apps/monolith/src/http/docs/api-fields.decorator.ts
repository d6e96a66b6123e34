import type { Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@ficus/platform';

// Response DTOs are not validated, so nothing derives their bounds: these decorators declare them once,
// from the same limits the request side enforces (or the format the server produces), so a client
// generator or gateway sees how large an answer can be. Request DTOs get theirs from class-validator.

type Extra = Omit<ApiPropertyOptions, 'type'> & Record<string, unknown>;

const INT32_MAX = 2 ** 31 - 1;

/** A string of at most `maxLength` characters. */
export const ApiText = (maxLength: number, extra: Extra = {}) =>
  ApiProperty({ type: 'string', maxLength, ...extra } as ApiPropertyOptions);

/** A UUID in its 36-character hyphenated form. */
export const ApiUuid = (extra: Extra = {}) => ApiText(36, { format: 'uuid', minLength: 36, ...extra });

/** An ISO 8601 UTC instant as `Date.toISOString()` writes it (room left for finer precision). */
export const ApiTimestamp = (extra: Extra = {}) =>
  ApiText(30, { format: 'date-time', example: '2026-11-23T10:15:00.000Z', ...extra });

/** A whole number within [minimum, maximum]; int32 when it fits, int64 otherwise. */
export const ApiInteger = (minimum: number, maximum: number, extra: Extra = {}) =>
  ApiProperty({
    type: 'integer',
    format: minimum >= -INT32_MAX - 1 && maximum <= INT32_MAX ? 'int32' : 'int64',
    minimum,
    maximum,
    ...extra,
  } as ApiPropertyOptions);

/** A list of `type` with at most `maxItems` entries. */
export const ApiList = (type: Type, maxItems: number, extra: Extra = {}) =>
  ApiProperty({ type: [type], maxItems, ...extra } as ApiPropertyOptions);
