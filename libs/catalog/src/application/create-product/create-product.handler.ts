import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { ProductView } from '@ficus/contracts';
import {
  CATEGORY_REPOSITORY,
  PRODUCT_IMAGES,
  PRODUCT_REPOSITORY,
  TRANSACTION_RUNNER,
} from '../../catalog.di-tokens.js';
import { UnknownCategory } from '../../domain/catalog.errors.js';
import type { CategoryRepository, ProductImages, ProductRepository, TransactionRunner } from '../../domain/ports.js';
import { Product } from '../../domain/product.aggregate.js';
import { Money } from '../../domain/value-objects/money.value-object.js';
import { Sku } from '../../domain/value-objects/sku.value-object.js';
import { Slug } from '../../domain/value-objects/slug.value-object.js';
import { ProductMapper } from '../../infrastructure/persistence/product.mapper.js';
import { CreateProductCommand } from './create-product.command.js';

@CommandHandler(CreateProductCommand)
export class CreateProductHandler implements ICommandHandler<CreateProductCommand> {
  constructor(
    @Inject(PRODUCT_REPOSITORY) private readonly products: ProductRepository,
    @Inject(CATEGORY_REPOSITORY) private readonly categories: CategoryRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
    @Inject(PRODUCT_IMAGES) private readonly images: ProductImages,
  ) {}

  async execute({ data }: CreateProductCommand): Promise<ProductView> {
    const sku = Sku.parse(data.sku);
    const price = Money.of(data.priceCents, data.currency);
    const slug = Slug.parse(data.categorySlug, 'categorySlug');
    // Categories are never deleted, so the one found here still exists when the insert commits.
    const category = await this.categories.findBySlug(slug.value);
    if (!category) throw new UnknownCategory([slug.value]);
    const product = Product.create({
      id: uuidv7(),
      sku,
      name: data.name,
      description: data.description,
      price,
      categoryId: category.id,
      stock: data.stock,
      imageMediaId: data.imageMediaId,
      now: new Date(),
    });
    const imageUrl = await this.transactions.run(async (tx) => {
      await this.products.insert(tx, product);
      // A media already known READY shows at once; one that is not yet shows when its event arrives.
      return data.imageMediaId ? this.images.syncImageUrl(tx, product.id) : null;
    });
    return ProductMapper.toView({ product: product.snapshot(), category: category.snapshot(), imageUrl });
  }
}
