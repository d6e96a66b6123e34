import { Body, Controller, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CATALOG_API, type CallMeta, type CatalogApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import {
  CreateCategoryRequestDto,
  CreateProductRequestDto,
  ProductIdParamsDto,
  UpdateProductRequestDto,
} from './catalog.request.dto.js';
import { CategoryResponseDto, ProductResponseDto } from './catalog.response.dto.js';

/** Catalog administration: anonymous callers get 401, signed-in customers 403. */
@ApiTags('catalog admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin')
export class AdminCatalogHttpController {
  constructor(@Inject(CATALOG_API) private readonly catalog: CatalogApi) {}

  @Post('categories')
  @ApiCreatedResponse({ type: CategoryResponseDto })
  @ApiProblems(400, 401, 403, 409, 413, 415, 429, 503)
  createCategory(@Body() body: CreateCategoryRequestDto, @Meta() meta: CallMeta) {
    return this.catalog.createCategory({ ...body }, meta);
  }

  @Post('products')
  @ApiCreatedResponse({ type: ProductResponseDto })
  @ApiProblems(400, 401, 403, 409, 413, 415, 429, 503)
  createProduct(@Body() body: CreateProductRequestDto, @Meta() meta: CallMeta) {
    return this.catalog.createProduct({ ...body }, meta);
  }

  @Patch('products/:id')
  @ApiOkResponse({ type: ProductResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 413, 415, 429, 503)
  updateProduct(@Param() { id }: ProductIdParamsDto, @Body() body: UpdateProductRequestDto, @Meta() meta: CallMeta) {
    return this.catalog.updateProduct({ ...body, productId: id }, meta);
  }
}
