/**
 * A payments context for ordering's integration tests, answering payments' contract (design of issue 8:
 * availability, charge, refund, get-payment) and publishing its verdicts through a real outbox, so the
 * saga runs against the real relay, inbox and transport. Unlike the real provider it can hold a charge
 * until the test settles it: that is how a late success after a cancellation, or a saga that times out,
 * are made to happen deterministically. The e2e suites run the saga against the real payments context.
 */
import { Controller, Inject, Injectable, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type ContractMessage, defineEvent } from '@ficus/contracts';
import { ContextDataModule, DomainError, OutboxWriter } from '@ficus/platform';

export interface FakePayment {
  paymentId: string;
  orderId: string;
  amountCents: number;
  currency: string;
  paymentToken: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'REFUNDED';
  /** Charge requests received for the order (the saga may repeat one). */
  charges: number;
  /** Refund requests received for the order. */
  refunds: number;
  /** A refund arrived while the charge was in flight: its success is refunded at once. */
  refundWins: boolean;
}

/** What the fake does, shared with the test (one instance per test file). */
export class FakePaymentsState {
  available = true;
  retryAfterSeconds = 0;
  /** `auto` settles each charge by its token right after answering; `hold` waits for `settle`. */
  mode: 'auto' | 'hold' = 'auto';
  /** When set, charge and refund calls fail (payments is broken); the saga must retry them. */
  broken = false;
  readonly payments = new Map<string, FakePayment>();
  /** Orders refunded before they were ever charged: a later charge of them is refused. */
  readonly voided = new Set<string>();
  settle: (orderId: string, outcome: 'SUCCEEDED' | 'DECLINED' | 'UNAVAILABLE') => Promise<void> = async () => {};
  /** Automatic settlements still running, and whether the context is closing (then none start). */
  readonly settling = new Set<Promise<void>>();
  closing = false;

  /** Before the context closes: no new settlement starts, and the running ones finish (else they hit a closed pool). */
  async drain(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.settling]);
  }
}

export const FAKE_PAYMENTS_STATE = new FakePaymentsState();
const STATE = Symbol('fake-payments-state');

class PaymentVoided extends DomainError {
  readonly code = 'PAYMENT_VOIDED';
  readonly kind = 'conflict' as const;
}

const Succeeded = defineEvent<object>('payments', 'payments.payment-succeeded.v1');
const Failed = defineEvent<object>('payments', 'payments.payment-failed.v1');
const Refunded = defineEvent<object>('payments', 'payments.payment-refunded.v1');

@Injectable()
class FakePayments {
  constructor(
    @Inject(STATE) private readonly state: FakePaymentsState,
    private readonly outbox: OutboxWriter,
    @InjectDataSource('payments') private readonly dataSource: DataSource,
  ) {
    state.settle = (orderId, outcome) => this.settle(orderId, outcome);
  }

  charge(data: Omit<FakePayment, 'paymentId' | 'status' | 'charges' | 'refunds' | 'refundWins'>) {
    if (this.state.broken) throw new Error('payments is broken');
    if (this.state.voided.has(data.orderId)) throw new PaymentVoided('The order was refunded before it was charged.');
    let payment = this.state.payments.get(data.orderId);
    if (!payment) {
      payment = { ...data, paymentId: randomUUID(), status: 'PENDING', charges: 0, refunds: 0, refundWins: false };
      this.state.payments.set(data.orderId, payment);
      if (this.state.mode === 'auto') {
        const outcome =
          data.paymentToken === 'tok_ok'
            ? 'SUCCEEDED'
            : data.paymentToken === 'tok_declined'
              ? 'DECLINED'
              : 'UNAVAILABLE';
        // After the answer has left; tracked from now, so that closing the context waits for it.
        const settlement = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
          this.state.closing ? undefined : this.settle(data.orderId, outcome),
        );
        this.state.settling.add(settlement);
        void settlement.finally(() => this.state.settling.delete(settlement));
      }
    }
    payment.charges++;
    return this.view(payment);
  }

  refund(orderId: string) {
    if (this.state.broken) throw new Error('payments is broken');
    const payment = this.state.payments.get(orderId);
    if (!payment) {
      this.state.voided.add(orderId);
      return { paymentId: null, orderId, status: 'NONE', refundRequested: true };
    }
    payment.refunds++;
    if (payment.status === 'PENDING') payment.refundWins = true;
    else if (payment.status === 'SUCCEEDED') return this.publishRefund(payment);
    return this.view(payment);
  }

  view(p: FakePayment) {
    return { paymentId: p.paymentId, orderId: p.orderId, status: p.status, refundRequested: p.refunds > 0 };
  }

  private async settle(orderId: string, outcome: 'SUCCEEDED' | 'DECLINED' | 'UNAVAILABLE') {
    const p = this.state.payments.get(orderId);
    if (!p || p.status !== 'PENDING') return;
    await this.dataSource.transaction(async (manager) => {
      const meta = { correlationId: `fake-payments-${orderId}` };
      const { paymentId, amountCents, currency } = p;
      if (outcome === 'SUCCEEDED') {
        await this.outbox.append(manager, meta, {
          definition: Succeeded,
          aggregateId: orderId,
          payload: { paymentId, orderId, amountCents, currency },
        });
      } else {
        await this.outbox.append(manager, meta, {
          definition: Failed,
          aggregateId: orderId,
          payload: { paymentId, orderId, reason: outcome },
        });
      }
    });
    p.status = outcome === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
    if (p.status === 'SUCCEEDED' && p.refundWins) await this.publishRefund(p);
  }

  private async publishRefund(p: FakePayment) {
    await this.dataSource.transaction((manager) =>
      this.outbox.append(
        manager,
        { correlationId: `fake-payments-${p.orderId}` },
        {
          definition: Refunded,
          aggregateId: p.orderId,
          payload: { paymentId: p.paymentId, orderId: p.orderId, amountCents: p.amountCents, currency: p.currency },
        },
      ),
    );
    p.status = 'REFUNDED';
    return this.view(p);
  }
}

@Controller()
class FakePaymentsController {
  constructor(
    private readonly payments: FakePayments,
    @Inject(STATE) private readonly state: FakePaymentsState,
  ) {}

  @MessagePattern('payments.get-availability.v1')
  availability() {
    return {
      available: this.state.available,
      retryAfterSeconds: this.state.available ? 0 : this.state.retryAfterSeconds,
    };
  }

  @MessagePattern('payments.charge.v1')
  charge(@Payload() { data }: ContractMessage<Parameters<FakePayments['charge']>[0]>) {
    return this.payments.charge(data);
  }

  @MessagePattern('payments.refund.v1')
  refund(@Payload() { data }: ContractMessage<{ orderId: string }>) {
    return this.payments.refund(data.orderId);
  }
}

@Module({
  imports: [ContextDataModule.forContext({ context: 'payments', entities: [], migrations: [] })],
  controllers: [FakePaymentsController],
  providers: [FakePayments, { provide: STATE, useValue: FAKE_PAYMENTS_STATE }],
})
export class FakePaymentsModule {}
