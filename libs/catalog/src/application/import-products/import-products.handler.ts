import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { ImportProductsResult } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import { CATEGORY_REPOSITORY, PRODUCT_REPOSITORY } from '../../catalog.di-tokens.js';
import { UnknownCategory } from '../../domain/catalog.errors.js';
import type { CategoryRepository, ProductRepository } from '../../domain/ports.js';
import { Product } from '../../domain/product.aggregate.js';
import { Money } from '../../domain/value-objects/money.value-object.js';
import { Sku } from '../../domain/value-objects/sku.value-object.js';
import { Slug } from '../../domain/value-objects/slug.value-object.js';
import { ImportProductsCommand } from './import-products.command.js';

/**
 * Operator tooling (the seed): many products in one statement. Every product passes the same invariants
 * as an admin-created one; SKUs that exist already are skipped, so an import can simply be run again.
 */
@CommandHandler(ImportProductsCommand)
export class ImportProductsHandler implements ICommandHandler<ImportProductsCommand> {
  constructor(
    @Inject(PRODUCT_REPOSITORY) private readonly products: ProductRepository,
    @Inject(CATEGORY_REPOSITORY) private readonly categories: CategoryRepository,
  ) {}

  async execute({ data }: ImportProductsCommand): Promise<ImportProductsResult> {
    const slugs = [...new Set(data.products.map((p) => p.categorySlug))];
    const categoryIds = await this.categories.idsBySlug(slugs);
    const missing = slugs.filter((slug) => !categoryIds.has(slug));
    if (missing.length) throw new UnknownCategory(missing);
    const now = new Date();
    const products = data.products.map((input, i) =>
      withFieldPrefix(`products.${i}`, () =>
        Product.create({
          id: uuidv7(),
          sku: Sku.parse(input.sku),
          name: input.name,
          description: input.description,
          price: Money.of(input.priceCents, input.currency),
          categoryId: categoryIds.get(Slug.parse(input.categorySlug, 'categorySlug').value)!,
          stock: input.stock,
          now,
        }),
      ),
    );
    const inserted = await this.products.insertManySkippingExisting(products);
    return { inserted, skipped: products.length - inserted };
  }
}

function withFieldPrefix<T>(prefix: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    throw new ValidationFailed(error.errors.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message })));
  }
}
