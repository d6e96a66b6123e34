/**
 * Payments owns payment intents and the payment provider adapter. Ordering charges and refunds orders
 * through its contract (idempotent per order) and learns outcomes from its events; every provider call
 * runs after commit, off the request path, through a timeout and a circuit breaker. Public surface: this
 * module and the patterns/events in @ficus/contracts.
 */
import { Module, type Provider } from '@nestjs/common';
import { BreakerRegistry, ContextDataModule, type FicusConfig, ficusConfig } from '@ficus/platform';
import { PaymentsMessageController } from './api/payments.message.controller.js';
import { ChargeHandler } from './application/charge/charge.handler.js';
import { GetAvailabilityHandler } from './application/get-availability/get-availability.handler.js';
import { GetPaymentHandler } from './application/get-payment/get-payment.handler.js';
import { PaymentSettler } from './application/process-payments/payment-settler.js';
import { PaymentWorker } from './application/process-payments/payment-worker.js';
import { ProviderCircuit } from './application/provider-circuit/provider-circuit.js';
import { RefundHandler } from './application/refund/refund.handler.js';
import type { PaymentProvider } from './domain/ports.js';
import { CreatePaymentsTables1735000000000 } from './infrastructure/persistence/migrations/1735000000000-create-payments-tables.js';
import { OrderClaims1736200000000 } from './infrastructure/persistence/migrations/1736200000000-order-claims.js';
import { PaymentIntentOrmEntity } from './infrastructure/persistence/payment-intent.orm-entity.js';
import { TypeOrmPaymentIntentRepository } from './infrastructure/persistence/payment-intent.repository.js';
import { SqlPaymentWorkQueue } from './infrastructure/persistence/payment-work.queue.js';
import { TypeOrmTransactionRunner } from './infrastructure/persistence/typeorm-transaction.runner.js';
import { FakePaymentProvider } from './infrastructure/provider/fake-payment-provider.js';
import {
  PAYMENT_INTENT_REPOSITORY,
  PAYMENT_PROVIDER,
  PAYMENT_WORK_QUEUE,
  TRANSACTION_RUNNER,
} from './payments.di-tokens.js';

/** Name of the provider breaker in readiness (`details['payments.provider']`) and metrics. */
const PROVIDER_BREAKER = 'payments.provider';

const handlers: Provider[] = [GetAvailabilityHandler, ChargeHandler, RefundHandler, GetPaymentHandler];

const adapters: Provider[] = [
  { provide: PAYMENT_INTENT_REPOSITORY, useClass: TypeOrmPaymentIntentRepository },
  { provide: PAYMENT_WORK_QUEUE, useClass: SqlPaymentWorkQueue },
  { provide: TRANSACTION_RUNNER, useClass: TypeOrmTransactionRunner },
  // The built-in fake of API.md; a real provider's adapter implements the same port.
  {
    provide: PAYMENT_PROVIDER,
    inject: [ficusConfig.KEY],
    useFactory: (config: FicusConfig) => new FakePaymentProvider(config.payments.fakeProviderLatencyMs),
  },
];

const processing: Provider[] = [
  {
    provide: ProviderCircuit,
    inject: [PAYMENT_PROVIDER, ficusConfig.KEY, BreakerRegistry],
    useFactory: (provider: PaymentProvider, config: FicusConfig, breakers: BreakerRegistry) => {
      const { providerTimeoutMs, breakerThreshold, breakerCooldownSeconds } = config.payments;
      const circuit = new ProviderCircuit(provider, {
        timeoutMs: providerTimeoutMs,
        failureThreshold: breakerThreshold,
        cooldownMs: breakerCooldownSeconds * 1000,
      });
      breakers.register(PROVIDER_BREAKER, () => circuit.snapshot());
      return circuit;
    },
  },
  PaymentSettler,
  PaymentWorker,
];

@Module({
  imports: [
    ContextDataModule.forContext({
      context: 'payments',
      entities: [PaymentIntentOrmEntity],
      migrations: [CreatePaymentsTables1735000000000, OrderClaims1736200000000],
    }),
  ],
  controllers: [PaymentsMessageController],
  providers: [...handlers, ...adapters, ...processing],
})
export class PaymentsModule {}
