import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ProductView } from '@ficus/contracts';
import { ProductNotFound } from '../../domain/catalog.errors.js';
import { CatalogReadModels } from '../../infrastructure/cache/catalog-read-models.js';
import { GetProductQuery } from './get-product.query.js';

@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(private readonly readModels: CatalogReadModels) {}

  async execute({ data }: GetProductQuery): Promise<ProductView> {
    const found = await this.readModels.product(data.productId);
    if (!found) throw new ProductNotFound();
    return found.view;
  }
}
