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
    const read = { version: found.version, value: notModified ? null : found.view };
    // Frozen like the cached view it carries (the in-process transport passes frozen results without a
    // copy); a view read while the cache is bypassed is not in wire form, so then neither is this.
    return Object.isFrozen(found.view) ? Object.freeze(read) : read;
  }
}
