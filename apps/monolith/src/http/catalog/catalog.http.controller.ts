import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CATALOG_API, type CallMeta, type CatalogApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { clientVersions, sendConditional } from '../conditional/conditional-get.js';
import { PublicRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiRead } from '../docs/api-success.decorator.js';
import { ListProductsQueryDto, ProductIdParamsDto } from './catalog.request.dto.js';
import { CategoryListResponseDto, ProductPageResponseDto, ProductResponseDto } from './catalog.response.dto.js';
import { ApiOperation, ApiTags } from '@ficus/platform';

/**
 * The public shop window: categories, listings with search (ETag / 304 by the facade's etag hook), single
 * products (ETag from the product's version, 304 without loading the body).
 */
@ApiTags('catalog')
@PublicRoute()
@Controller()
export class CatalogHttpController {
  constructor(@Inject(CATALOG_API) private readonly catalog: CatalogApi) {}

  @Get('categories')
  @ApiOperation({ summary: 'All categories', description: 'Every category, ordered by name.' })
  @ApiRead(CategoryListResponseDto)
  @ApiProblems()
  categories(@Meta() meta: CallMeta) {
    return this.catalog.listCategories({}, meta);
  }

  @Get('products')
  @ApiOperation({
    summary: 'List and search products',
    description:
      'Newest first, or by relevance when q is given; filter by category and price range; pages of at most ' +
      '100 linked by nextCursor.',
  })
  @ApiRead(ProductPageResponseDto)
  @ApiProblems([400, 'INVALID_CURSOR'])
  products(@Query() query: ListProductsQueryDto, @Meta() meta: CallMeta) {
    return this.catalog.listProducts({ ...query }, meta);
  }

  @Get('products/:id')
  @ApiOperation({
    summary: 'One product',
    description:
      "With an ETag derived from the product's version: send it as If-None-Match to get 304 (answered from " +
      "catalog's cached version, without the body).",
  })
  @ApiRead(ProductResponseDto)
  @ApiProblems(400, [404, 'PRODUCT_NOT_FOUND'])
  async product(
    @Param() { id }: ProductIdParamsDto,
    @Meta() meta: CallMeta,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { versions, any } = clientVersions(request);
    const read = await this.catalog.getProductConditional({ productId: id, ifNoneMatch: versions }, meta);
    sendConditional(reply, read, any);
  }
}
