import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ConditionalRead, ProductView } from '@ficus/contracts';
import { ProductNotFound } from '../../domain/catalog.errors.js';
import { CatalogReadModels } from '../../infrastructure/cache/catalog-read-models.js';
import { GetProductConditionalQuery } from './get-product-conditional.query.js';

/**
 * A product with its version, for conditional GETs: when the caller already holds the current version,
 * only the version goes back (a cache hit costs no query and no body copy).
 */
@QueryHandler(GetProductConditionalQuery)
export class GetProductConditionalHandler implements IQueryHandler<GetProductConditionalQuery> {
  constructor(private readonly readModels: CatalogReadModels) {}

  async execute({ data }: GetProductConditionalQuery): Promise<ConditionalRead<ProductView>> {
    const found = await this.readModels.product(data.productId);
    if (!found) throw new ProductNotFound();
    const notModified = data.ifNoneMatch?.includes(found.version) ?? false;
    // Frozen like the cached view it carries: the in-process transport passes it without a copy.
    return Object.freeze({ version: found.version, value: notModified ? null : found.view });
  }
}
