/**
 * Catalog owns categories, products, prices and stock. Other contexts reserve and release stock through
 * its contract (all lines of an order or none, idempotent per order) and learn about stock movements and
 * price/name changes from its events; it shows product images media announced READY. Public surface: this module and the patterns/events in
 * @ficus/contracts.
 */
import { Module, type Provider } from '@nestjs/common';
import { ContextDataModule } from '@ficus/platform';
import { CatalogEventController } from './api/catalog.event.controller.js';
import { CatalogMessageController } from './api/catalog.message.controller.js';
import { CreateCategoryHandler } from './application/create-category/create-category.handler.js';
import { CreateProductHandler } from './application/create-product/create-product.handler.js';
import { GetProductConditionalHandler } from './application/get-product-conditional/get-product-conditional.handler.js';
import { GetProductHandler } from './application/get-product/get-product.handler.js';
import { ImportProductsHandler } from './application/import-products/import-products.handler.js';
import { ListCategoriesHandler } from './application/list-categories/list-categories.handler.js';
import { ListProductsHandler } from './application/list-products/list-products.handler.js';
import { RecordMediaReadyHandler } from './application/record-media-ready/record-media-ready.handler.js';
import { ReleaseStockHandler } from './application/release-stock/release-stock.handler.js';
import { ReserveStockHandler } from './application/reserve-stock/reserve-stock.handler.js';
import { UpdateProductHandler } from './application/update-product/update-product.handler.js';
import {
  CATEGORY_REPOSITORY,
  PRODUCT_IMAGES,
  PRODUCT_READER,
  PRODUCT_REPOSITORY,
  STOCK_LEDGER,
  TRANSACTION_RUNNER,
} from './catalog.di-tokens.js';
import { CatalogReadModels } from './infrastructure/cache/catalog-read-models.js';
import { CategoryOrmEntity } from './infrastructure/persistence/category.orm-entity.js';
import { TypeOrmCategoryRepository } from './infrastructure/persistence/category.repository.js';
import { CreateCatalogTables1733000000000 } from './infrastructure/persistence/migrations/1733000000000-create-catalog-tables.js';
import { AddProductImages1736100000000 } from './infrastructure/persistence/migrations/1736100000000-add-product-images.js';
import { SqlProductImages } from './infrastructure/persistence/product-images.repository.js';
import { SqlProductReader } from './infrastructure/persistence/product-listing.repository.js';
import { ProductOrmEntity } from './infrastructure/persistence/product.orm-entity.js';
import { TypeOrmProductRepository } from './infrastructure/persistence/product.repository.js';
import { SqlStockLedger } from './infrastructure/persistence/stock-ledger.repository.js';
import { TypeOrmTransactionRunner } from './infrastructure/persistence/typeorm-transaction.runner.js';

const handlers: Provider[] = [
  ListCategoriesHandler,
  CreateCategoryHandler,
  ListProductsHandler,
  GetProductHandler,
  GetProductConditionalHandler,
  CreateProductHandler,
  UpdateProductHandler,
  ReserveStockHandler,
  ReleaseStockHandler,
  ImportProductsHandler,
  RecordMediaReadyHandler,
];

const adapters: Provider[] = [
  { provide: CATEGORY_REPOSITORY, useClass: TypeOrmCategoryRepository },
  { provide: PRODUCT_REPOSITORY, useClass: TypeOrmProductRepository },
  { provide: PRODUCT_READER, useClass: SqlProductReader },
  { provide: PRODUCT_IMAGES, useClass: SqlProductImages },
  { provide: STOCK_LEDGER, useClass: SqlStockLedger },
  { provide: TRANSACTION_RUNNER, useClass: TypeOrmTransactionRunner },
  CatalogReadModels,
];

@Module({
  imports: [
    ContextDataModule.forContext({
      context: 'catalog',
      entities: [CategoryOrmEntity, ProductOrmEntity],
      migrations: [CreateCatalogTables1733000000000, AddProductImages1736100000000],
    }),
  ],
  controllers: [CatalogMessageController, CatalogEventController],
  providers: [...handlers, ...adapters],
})
export class CatalogModule {}
