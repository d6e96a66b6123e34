import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern } from '@nestjs/microservices';
import { CatalogPatterns, type ContractMessage } from '@ficus/contracts';
import { ContractPayload } from '@ficus/platform';
import { CreateCategoryCommand } from '../application/create-category/create-category.command.js';
import { CreateProductCommand } from '../application/create-product/create-product.command.js';
import { GetProductConditionalQuery } from '../application/get-product-conditional/get-product-conditional.query.js';
import { GetProductQuery } from '../application/get-product/get-product.query.js';
import { ImportProductsCommand } from '../application/import-products/import-products.command.js';
import { ListCategoriesQuery } from '../application/list-categories/list-categories.query.js';
import { ListProductsQuery } from '../application/list-products/list-products.query.js';
import { ReleaseStockCommand } from '../application/release-stock/release-stock.command.js';
import { ReserveStockCommand } from '../application/reserve-stock/reserve-stock.command.js';
import { UpdateProductCommand } from '../application/update-product/update-product.command.js';
import {
  CreateCategoryMessage,
  CreateProductMessage,
  GetProductConditionalMessage,
  GetProductMessage,
  ImportProductsMessage,
  ListProductsMessage,
  NoArgumentsMessage,
  ReleaseStockMessage,
  ReserveStockMessage,
  UpdateProductMessage,
} from './catalog.messages.js';

/**
 * Catalog's contract: each message pattern becomes one command or query. Authorization of the admin
 * patterns is the caller's job (the facade's `@Roles('admin')`); `importProducts` is operator tooling and
 * has no HTTP route at all.
 */
@Controller()
export class CatalogMessageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(CatalogPatterns.listCategories)
  listCategories(@ContractPayload(NoArgumentsMessage) { meta }: ContractMessage<NoArgumentsMessage>) {
    return this.queries.execute(new ListCategoriesQuery({}, meta));
  }

  @MessagePattern(CatalogPatterns.createCategory)
  createCategory(@ContractPayload(CreateCategoryMessage) { data, meta }: ContractMessage<CreateCategoryMessage>) {
    return this.commands.execute(new CreateCategoryCommand(data, meta));
  }

  @MessagePattern(CatalogPatterns.listProducts)
  listProducts(@ContractPayload(ListProductsMessage) { data, meta }: ContractMessage<ListProductsMessage>) {
    return this.queries.execute(new ListProductsQuery(data, meta));
  }

  @MessagePattern(CatalogPatterns.getProduct)
  getProduct(@ContractPayload(GetProductMessage) { data, meta }: ContractMessage<GetProductMessage>) {
    return this.queries.execute(new GetProductQuery(data, meta));
  }

  @MessagePattern(CatalogPatterns.getProductConditional)
  getProductConditional(
    @ContractPayload(GetProductConditionalMessage) { data, meta }: ContractMessage<GetProductConditionalMessage>,
  ) {
    return this.queries.execute(new GetProductConditionalQuery(data, meta));
  }

  @MessagePattern(CatalogPatterns.createProduct)
  createProduct(@ContractPayload(CreateProductMessage) { data, meta }: ContractMessage<CreateProductMessage>) {
    return this.commands.execute(new CreateProductCommand(data, meta));
  }

  @MessagePattern(CatalogPatterns.updateProduct)
  updateProduct(@ContractPayload(UpdateProductMessage) { data, meta }: ContractMessage<UpdateProductMessage>) {
    return this.commands.execute(new UpdateProductCommand(data, meta));
  }

  @MessagePattern(CatalogPatterns.reserveStock)
  reserveStock(@ContractPayload(ReserveStockMessage) { data, meta }: ContractMessage<ReserveStockMessage>) {
    return this.commands.execute(new ReserveStockCommand(data, meta));
  }

  @MessagePattern(CatalogPatterns.releaseStock)
  releaseStock(@ContractPayload(ReleaseStockMessage) { data, meta }: ContractMessage<ReleaseStockMessage>) {
    return this.commands.execute(new ReleaseStockCommand(data, meta));
  }

  @MessagePattern(CatalogPatterns.importProducts)
  importProducts(@ContractPayload(ImportProductsMessage) { data, meta }: ContractMessage<ImportProductsMessage>) {
    return this.commands.execute(new ImportProductsCommand(data, meta));
  }
}
