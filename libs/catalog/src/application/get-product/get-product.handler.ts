import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ProductView } from '@ficus/contracts';
import { PRODUCT_READER } from '../../catalog.di-tokens.js';
import { ProductNotFound } from '../../domain/catalog.errors.js';
import type { ProductReader } from '../../domain/ports.js';
import { ProductMapper } from '../../infrastructure/persistence/product.mapper.js';
import { GetProductQuery } from './get-product.query.js';

@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(@Inject(PRODUCT_READER) private readonly reader: ProductReader) {}

  async execute({ data }: GetProductQuery): Promise<ProductView> {
    const record = await this.reader.findById(data.productId);
    if (!record) throw new ProductNotFound();
    return ProductMapper.toView(record);
  }
}
