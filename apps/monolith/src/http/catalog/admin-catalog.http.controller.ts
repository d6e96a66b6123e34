import { Body, Controller, Inject, Param, Patch, Post } from '@nestjs/common';
import { CATALOG_API, type CallMeta, type CatalogApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { AdminRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiWrite } from '../docs/api-success.decorator.js';
import {
  CreateCategoryRequestDto,
  CreateProductRequestDto,
  ProductIdParamsDto,
  UpdateProductRequestDto,
} from './catalog.request.dto.js';
import { CategoryResponseDto, ProductResponseDto } from './catalog.response.dto.js';
import { ApiOperation, ApiTags } from '@ficus/platform';

/** Catalog administration: anonymous callers get 401, signed-in customers 403. */
@ApiTags('catalog admin')
@AdminRoute()
@Controller('admin')
export class AdminCatalogHttpController {
  constructor(@Inject(CATALOG_API) private readonly catalog: CatalogApi) {}

  @Post('categories')
  @ApiOperation({ summary: 'Create a category', description: 'Admin only. The slug must be unused.' })
  @ApiWrite(201, { type: CategoryResponseDto, description: 'The new category' })
  @ApiProblems(400, 403, [409, 'SLUG_TAKEN'], 413, 415)
  createCategory(@Body() body: CreateCategoryRequestDto, @Meta() meta: CallMeta) {
    return this.catalog.createCategory({ ...body }, meta);
  }

  @Post('products')
  @ApiOperation({
    summary: 'Create a product',
    description: 'Admin only. The SKU must be unused (compared case-insensitively); the category must exist.',
  })
  @ApiWrite(201, { type: ProductResponseDto, description: 'The new product' })
  @ApiProblems([400, 'UNKNOWN_CATEGORY'], 403, [409, 'SKU_TAKEN'], 413, 415)
  createProduct(@Body() body: CreateProductRequestDto, @Meta() meta: CallMeta) {
    return this.catalog.createProduct({ ...body }, meta);
  }

  @Patch('products/:id')
  @ApiOperation({
    summary: 'Change a product',
    description: 'Admin only. Any subset of the create fields; imageMediaId: null removes the image.',
  })
  @ApiWrite(200, { type: ProductResponseDto, description: 'The updated product' })
  @ApiProblems([400, 'UNKNOWN_CATEGORY'], 403, [404, 'PRODUCT_NOT_FOUND'], [409, 'SKU_TAKEN'], 413, 415)
  updateProduct(@Param() { id }: ProductIdParamsDto, @Body() body: UpdateProductRequestDto, @Meta() meta: CallMeta) {
    return this.catalog.updateProduct({ ...body, productId: id }, meta);
  }
}
