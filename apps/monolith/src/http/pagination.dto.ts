import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@ficus/platform';

/** Query strings are text: whole numbers are converted, anything else stays text and fails `IsInt` (400). */
export const QueryInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value));

/** What a context publishes about its lists (`<Context>Limits` in @ficus/contracts). */
export interface PageLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly cursorMaxLength: number;
}

/**
 * The `limit` and `cursor` query parameters of a keyset-paginated list (API.md "Pagination"), validated
 * against the owning context's limits. A list's query DTO extends `KeysetPageQuery(ItsLimits)`.
 */
export function KeysetPageQuery(limits: PageLimits) {
  class KeysetPageQueryDto {
    @ApiPropertyOptional({ default: limits.defaultPageSize, description: 'Page size' })
    @IsOptional()
    @QueryInt()
    @IsInt()
    @Min(1)
    @Max(limits.maxPageSize)
    limit?: number;

    @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' })
    @IsOptional()
    @IsString()
    @MaxLength(limits.cursorMaxLength)
    cursor?: string;
  }
  return KeysetPageQueryDto;
}
