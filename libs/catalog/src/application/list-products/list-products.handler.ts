import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ProductPage } from '@ficus/contracts';
import { PRODUCT_READER } from '../../catalog.di-tokens.js';
import { ProductCursor } from '../../domain/listing/product-cursor.value-object.js';
import { parseListing } from '../../domain/listing/product-listing.js';
import type { ProductReader } from '../../domain/ports.js';
import { ProductMapper } from '../../infrastructure/persistence/product.mapper.js';
import { ListProductsQuery } from './list-products.query.js';

@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(@Inject(PRODUCT_READER) private readonly reader: ProductReader) {}

  async execute({ data }: ListProductsQuery): Promise<ProductPage> {
    const { records, next } = await this.reader.list(parseListing(data));
    return {
      items: records.map((record) => ProductMapper.toView(record)),
      nextCursor: next ? ProductCursor.encode(next) : null,
    };
  }
}
