/**
 * Ordering owns orders and the order saga: the persisted process manager that takes an order from
 * PENDING to CONFIRMED (stock reserved in catalog, charge captured by payments) or to CANCELLED with
 * compensation. It reaches catalog and payments only through their contracts and learns payment outcomes
 * from their events. Public surface: this module and the patterns/events in @ficus/contracts.
 */
import { Module, type Provider } from '@nestjs/common';
import {
  CATALOG_API,
  type CatalogApi,
  CatalogPatterns,
  PAYMENTS_API,
  type PaymentsApi,
  PaymentsPatterns,
} from '@ficus/contracts';
import { ContextApiModule, ContextDataModule } from '@ficus/platform';
import { OrderingEventController } from './api/ordering.event.controller.js';
import { OrderingMessageController } from './api/ordering.message.controller.js';
import { CancelOrderHandler } from './application/cancel-order/cancel-order.handler.js';
import { DriveSagaHandler } from './application/drive-saga/drive-saga.handler.js';
import { GetOrderHandler } from './application/get-order/get-order.handler.js';
import { ListOrdersHandler } from './application/list-orders/list-orders.handler.js';
import { PlaceOrderHandler } from './application/place-order/place-order.handler.js';
import { RecordPaymentOutcomeHandler } from './application/record-payment-outcome/record-payment-outcome.handler.js';
import { ChargeStep } from './application/saga/charge.step.js';
import { OrderFactsPublisher } from './application/saga/order-facts.publisher.js';
import { OrderSaga } from './application/saga/order.saga.js';
import { RefundStep } from './application/saga/refund.step.js';
import { ReleaseStockStep } from './application/saga/release-stock.step.js';
import { ReserveStockStep } from './application/saga/reserve-stock.step.js';
import { SagaSteps } from './application/saga/saga-steps.js';
import { SagaSweeper } from './application/saga/saga.sweeper.js';
import { ContractCatalogGateway } from './infrastructure/contracts/catalog.gateway.js';
import { ContractPaymentsGateway } from './infrastructure/contracts/payments.gateway.js';
import { CreateOrderingTables1734000000000 } from './infrastructure/persistence/migrations/1734000000000-create-ordering-tables.js';
import { SqlOrderRepository } from './infrastructure/persistence/order.repository.js';
import { TypeOrmTransactionRunner } from './infrastructure/persistence/typeorm-transaction.runner.js';
import { CATALOG_GATEWAY, ORDER_REPOSITORY, PAYMENTS_GATEWAY, TRANSACTION_RUNNER } from './ordering.di-tokens.js';

const handlers: Provider[] = [
  PlaceOrderHandler,
  GetOrderHandler,
  ListOrdersHandler,
  CancelOrderHandler,
  DriveSagaHandler,
  RecordPaymentOutcomeHandler,
];

const saga: Provider[] = [
  OrderSaga,
  OrderFactsPublisher,
  ReserveStockStep,
  ChargeStep,
  ReleaseStockStep,
  RefundStep,
  SagaSteps,
  SagaSweeper,
];

const adapters: Provider[] = [
  { provide: ORDER_REPOSITORY, useClass: SqlOrderRepository },
  { provide: TRANSACTION_RUNNER, useClass: TypeOrmTransactionRunner },
  { provide: CATALOG_GATEWAY, useClass: ContractCatalogGateway },
  { provide: PAYMENTS_GATEWAY, useClass: ContractPaymentsGateway },
];

@Module({
  imports: [
    ContextDataModule.forContext({
      context: 'ordering',
      entities: [],
      migrations: [CreateOrderingTables1734000000000],
    }),
    // Other contexts, only through their contracts (in-process or over Redis, as configured).
    ContextApiModule.register<CatalogApi>({ context: 'catalog', token: CATALOG_API, patterns: CatalogPatterns }),
    ContextApiModule.register<PaymentsApi>({ context: 'payments', token: PAYMENTS_API, patterns: PaymentsPatterns }),
  ],
  controllers: [OrderingMessageController, OrderingEventController],
  providers: [...handlers, ...saga, ...adapters],
})
export class OrderingModule {}
