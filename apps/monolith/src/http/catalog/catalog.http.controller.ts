import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CATALOG_API, type CallMeta, type CatalogApi } from '@ficus/contracts';
import { Public } from '@ficus/platform';
import { Meta } from '../auth/actor.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ListProductsQueryDto, ProductIdParamsDto } from './catalog.request.dto.js';
import { CategoryListResponseDto, ProductPageResponseDto, ProductResponseDto } from './catalog.response.dto.js';

/** The public shop window: categories, listings with search, single products (ETag / 304 by the etag hook). */
@ApiTags('catalog')
@Public()
@Controller()
export class CatalogHttpController {
  constructor(@Inject(CATALOG_API) private readonly catalog: CatalogApi) {}

  @Get('categories')
  @ApiOkResponse({ type: CategoryListResponseDto })
  @ApiProblems(401, 429, 503)
  categories(@Meta() meta: CallMeta) {
    return this.catalog.listCategories({}, meta);
  }

  @Get('products')
  @ApiOkResponse({ type: ProductPageResponseDto })
  @ApiProblems(400, 401, 429, 503)
  products(@Query() query: ListProductsQueryDto, @Meta() meta: CallMeta) {
    return this.catalog.listProducts({ ...query }, meta);
  }

  @Get('products/:id')
  @ApiOkResponse({
    type: ProductResponseDto,
    headers: { ETag: { description: 'Send it back as If-None-Match to get 304 while unchanged' } },
  })
  @ApiProblems(400, 401, 404, 429, 503)
  product(@Param() { id }: ProductIdParamsDto, @Meta() meta: CallMeta) {
    return this.catalog.getProduct({ productId: id }, meta);
  }
}
