import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CallMeta, type ProductView, ProductUpdatedV1 } from '@ficus/contracts';
import { OutboxWriter } from '@ficus/platform';
import {
  CATEGORY_REPOSITORY,
  PRODUCT_IMAGES,
  PRODUCT_REPOSITORY,
  TRANSACTION_RUNNER,
} from '../../catalog.di-tokens.js';
import { ProductNotFound, UnknownCategory } from '../../domain/catalog.errors.js';
import type {
  CategoryRepository,
  ProductImages,
  ProductRepository,
  TransactionRunner,
  Tx,
} from '../../domain/ports.js';
import {
  type Product,
  type ProductChanges,
  PUBLISHED_FIELDS,
  type PublishedField,
} from '../../domain/product.aggregate.js';
import { Money } from '../../domain/value-objects/money.value-object.js';
import { Sku } from '../../domain/value-objects/sku.value-object.js';
import { Slug } from '../../domain/value-objects/slug.value-object.js';
import { ProductMapper } from '../../infrastructure/persistence/product.mapper.js';
import { asManager } from '../../infrastructure/persistence/typeorm-transaction.runner.js';
import { UpdateProductCommand } from './update-product.command.js';

/** Admin edit of any subset of fields; a new name or price is announced in the same transaction. */
@CommandHandler(UpdateProductCommand)
export class UpdateProductHandler implements ICommandHandler<UpdateProductCommand> {
  constructor(
    @Inject(PRODUCT_REPOSITORY) private readonly products: ProductRepository,
    @Inject(CATEGORY_REPOSITORY) private readonly categories: CategoryRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
    @Inject(PRODUCT_IMAGES) private readonly images: ProductImages,
  ) {}

  async execute({ data, meta }: UpdateProductCommand): Promise<ProductView> {
    const sku = data.sku === undefined ? undefined : Sku.parse(data.sku);
    const slug = data.categorySlug === undefined ? undefined : Slug.parse(data.categorySlug, 'categorySlug');
    return this.transactions.run(async (tx) => {
      const product = await this.products.findByIdForUpdate(tx, data.productId);
      if (!product) throw new ProductNotFound();
      const category = slug ? await this.categories.findBySlug(slug.value, tx) : await this.categoryOf(tx, product);
      if (!category) throw new UnknownCategory([slug!.value]);
      const now = new Date();
      const changes: ProductChanges = {
        sku,
        name: data.name,
        description: data.description,
        price: this.newPrice(product, data),
        categoryId: category.id,
        stock: data.stock,
        imageMediaId: data.imageMediaId,
      };
      const changed = product.update(changes, now);
      if (changed.length) await this.products.update(tx, product);
      const published = changed.filter((f): f is PublishedField => (PUBLISHED_FIELDS as readonly string[]).includes(f));
      if (published.length) await this.announce(tx, meta, product, published, now);
      const imageUrl = await this.images.syncImageUrl(tx, product.id);
      return ProductMapper.toView({ product: product.snapshot(), category: category.snapshot(), imageUrl });
    });
  }

  private async announce(tx: Tx, meta: CallMeta, product: Product, changed: PublishedField[], now: Date) {
    const s = product.snapshot();
    await this.outbox.append(asManager(tx), meta, {
      definition: ProductUpdatedV1,
      aggregateId: s.id,
      payload: {
        productId: s.id,
        sku: s.sku,
        name: s.name,
        priceCents: s.priceCents,
        currency: s.currency,
        changed,
        updatedAt: now.toISOString(),
      },
    });
  }

  private newPrice(product: Product, data: { priceCents?: number; currency?: string }): Money | undefined {
    if (data.priceCents === undefined && data.currency === undefined) return undefined;
    return Money.of(data.priceCents ?? product.price.amountCents, data.currency ?? product.price.currency);
  }

  private async categoryOf(tx: Tx, product: Product) {
    return this.categories.findById(product.snapshot().categoryId, tx);
  }
}
