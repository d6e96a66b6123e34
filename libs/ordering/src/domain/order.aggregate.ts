import { type CancellationReason, OrderingLimits, type OrderStatus } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import { OrderNotCancellable } from './ordering.errors.js';
import { assertTransition, FINISHED_STEPS, retryDelayMs, type SagaState, SagaTiming } from './saga/order-saga.js';

/** One line with the name and unit price catalog had when the order was placed. */
export interface OrderLine {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

/** A product as catalog answered it at placement time: what the snapshot is taken from. */
export interface PricedProduct {
  productId: string;
  name: string;
  priceCents: number;
  currency: string;
}

/** What an order announces; the application layer turns each into an integration event. */
export type OrderFact =
  { type: 'placed' } | { type: 'confirmed' } | { type: 'cancelled'; previousStatus: Exclude<OrderStatus, 'CANCELLED'> };

export interface OrderProps {
  id: string;
  userId: string;
  idempotencyKey: string;
  lines: OrderLine[];
  totalCents: number;
  currency: string;
  status: OrderStatus;
  cancellationReason: CancellationReason | null;
  createdAt: Date;
  /** Last status change. */
  updatedAt: Date;
  saga: SagaState;
}

export interface PlaceOrder {
  id: string;
  userId: string;
  idempotencyKey: string;
  lines: { productId: string; quantity: number }[];
  products: PricedProduct[];
  paymentToken: string;
  now: Date;
  timeoutMs: number;
}

/**
 * An order and the state of its saga. The order's status is what the client sees; the saga says what the
 * process still has to do (including compensation after the order is already `CANCELLED`). Every
 * transition is safe to attempt twice: a duplicate event or a repeated step finds the state moved on and
 * changes nothing.
 */
export class Order {
  private facts: OrderFact[] = [];

  private constructor(private props: OrderProps) {}

  static restore(props: OrderProps): Order {
    return new Order({ ...props, lines: props.lines.map((l) => ({ ...l })), saga: { ...props.saga } });
  }

  static place(input: PlaceOrder): Order {
    checkLines(input.lines);
    const byId = new Map(input.products.map((p) => [p.productId.toLowerCase(), p]));
    const lines = input.lines.map(({ productId, quantity }) => {
      const product = byId.get(productId.toLowerCase())!;
      return { productId: productId.toLowerCase(), name: product.name, unitPriceCents: product.priceCents, quantity };
    });
    const currencies = new Set(input.lines.map((l) => byId.get(l.productId.toLowerCase())!.currency));
    if (currencies.size !== 1) {
      throw new ValidationFailed([
        { field: 'items', message: 'every product of one order must have the same currency' },
      ]);
    }
    const order = new Order({
      id: input.id,
      userId: input.userId,
      idempotencyKey: input.idempotencyKey,
      lines,
      totalCents: lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0),
      currency: [...currencies][0],
      status: 'PENDING',
      cancellationReason: null,
      createdAt: input.now,
      updatedAt: input.now,
      saga: {
        step: 'PENDING',
        paymentToken: input.paymentToken,
        chargeRequested: false,
        releasePending: false,
        refundPending: false,
        attempts: 0,
        nextAttemptAt: new Date(input.now.getTime() + SagaTiming.resumeAfterMs),
        deadlineAt: new Date(input.now.getTime() + input.timeoutMs),
        lastError: null,
      },
    });
    order.facts.push({ type: 'placed' });
    return order;
  }

  /** Stock is held for every line: the charge comes next. */
  stockReserved(now: Date): void {
    if (this.props.saga.step !== 'PENDING') return;
    this.stepDone('STOCK_RESERVED', now);
  }

  /** Catalog refused the reservation (it reserved nothing and recorded the refusal). */
  outOfStock(now: Date): void {
    if (this.props.saga.step !== 'PENDING') return;
    this.cancel('OUT_OF_STOCK', now, { release: false, refund: false });
  }

  /** Payments has the charge; its outcome arrives as an event (or the deadline passes first). */
  chargeRequested(now: Date): void {
    if (this.props.saga.step !== 'STOCK_RESERVED') return;
    this.setSaga({ ...this.stepReset(now), step: 'AWAITING_PAYMENT', paymentToken: null, chargeRequested: true });
    this.props.saga.nextAttemptAt = this.props.saga.deadlineAt;
  }

  /**
   * The charge succeeded. A pending order is confirmed; an order that is already cancelled (the user, or
   * the deadline, came first) keeps its status and gets the money back.
   */
  paymentSucceeded(now: Date): void {
    const { step } = this.props.saga;
    if (step === 'AWAITING_PAYMENT' || step === 'STOCK_RESERVED') {
      this.setSaga({ ...this.stepReset(now), step: 'CONFIRMED', paymentToken: null, chargeRequested: true });
      this.props.saga.nextAttemptAt = null;
      this.setStatus('CONFIRMED', null, now);
      this.facts.push({ type: 'confirmed' });
    } else if (this.props.status === 'CANCELLED') {
      this.setSaga({ ...this.stepReset(now), step: 'COMPENSATING', chargeRequested: true, refundPending: true });
    }
  }

  /** The charge failed: the order is cancelled and its stock given back. Nothing was captured. */
  paymentFailed(reason: 'DECLINED' | 'UNAVAILABLE', now: Date): void {
    const { step } = this.props.saga;
    if (step !== 'AWAITING_PAYMENT' && step !== 'STOCK_RESERVED') return;
    this.props.saga.chargeRequested = false;
    this.cancel(reason === 'DECLINED' ? 'PAYMENT_DECLINED' : 'PAYMENT_UNAVAILABLE', now, {
      release: true,
      refund: false,
    });
  }

  /** The user cancels: allowed while `PENDING` or `CONFIRMED`; what was done is undone. */
  cancelByUser(now: Date): void {
    if (this.props.status === 'CANCELLED') throw new OrderNotCancellable(this.props.status);
    this.cancel('USER_CANCELLED', now, { release: true, refund: this.mayHaveCharge() });
  }

  /** The saga ran out of time before the payment's outcome (or a step kept failing): compensate. */
  timeOut(now: Date): void {
    if (this.props.status !== 'PENDING') return;
    this.cancel('PAYMENT_UNAVAILABLE', now, { release: true, refund: this.mayHaveCharge() });
  }

  stockReleased(now: Date): void {
    if (!this.props.saga.releasePending) return;
    this.setSaga({ ...this.stepReset(now), releasePending: false });
    this.settle();
  }

  refundRequested(now: Date): void {
    if (!this.props.saga.refundPending) return;
    this.setSaga({ ...this.stepReset(now), refundPending: false });
    this.settle();
  }

  /**
   * Nothing to do but wait for the payment's outcome: the sweeper looks again at the deadline. Returns
   * whether that changed anything (an event had made the saga due earlier).
   */
  awaitPayment(): boolean {
    const { saga } = this.props;
    if (saga.step !== 'AWAITING_PAYMENT' || saga.nextAttemptAt?.getTime() === saga.deadlineAt.getTime()) return false;
    this.setSaga({ ...saga, nextAttemptAt: saga.deadlineAt });
    return true;
  }

  /** The current step failed (a context is down, …): try again later, with backoff. */
  retryLater(now: Date, error: string): void {
    const attempts = this.props.saga.attempts + 1;
    let next = now.getTime() + retryDelayMs(attempts);
    // Steps before the outcome must not sleep past the deadline: that is when they give up.
    if (this.props.status === 'PENDING') next = Math.min(next, this.props.saga.deadlineAt.getTime());
    this.setSaga({ ...this.props.saga, attempts, nextAttemptAt: new Date(next), lastError: error.slice(0, 500) });
  }

  /** Takes the facts recorded since the last call (to publish them in the same transaction). */
  pullFacts(): OrderFact[] {
    return this.facts.splice(0);
  }

  /**
   * Whether payments may hold a charge for this order: one was requested, or the stock was reserved and
   * the charge request may have reached payments before its answer was lost. A refund then either
   * refunds, or voids the charge so it can never be captured later.
   */
  private mayHaveCharge(): boolean {
    return this.props.saga.chargeRequested || this.props.saga.step === 'STOCK_RESERVED';
  }

  private cancel(reason: CancellationReason, now: Date, owed: { release: boolean; refund: boolean }): void {
    const previousStatus = this.props.status;
    if (previousStatus === 'CANCELLED') return;
    const { release, refund } = owed;
    this.setSaga({
      ...this.stepReset(now),
      step: release || refund ? 'COMPENSATING' : 'CANCELLED',
      paymentToken: null,
      releasePending: release,
      refundPending: refund,
    });
    if (this.props.saga.step === 'CANCELLED') this.props.saga.nextAttemptAt = null;
    this.setStatus('CANCELLED', reason, now);
    this.facts.push({ type: 'cancelled', previousStatus });
  }

  private stepDone(step: SagaState['step'], now: Date): void {
    this.setSaga({ ...this.stepReset(now), step });
  }

  /** A step succeeded: failures are forgotten and the sweeper leaves the saga to its driver for a while. */
  private stepReset(now: Date): SagaState {
    return {
      ...this.props.saga,
      attempts: 0,
      lastError: null,
      nextAttemptAt: new Date(now.getTime() + SagaTiming.resumeAfterMs),
    };
  }

  /** Every change of the saga goes through here, so a step can only move along ORDER_SAGA_TRANSITIONS. */
  private setSaga(next: SagaState): void {
    assertTransition(this.props.saga.step, next.step);
    this.props.saga = next;
  }

  private settle(): void {
    const { saga } = this.props;
    if (saga.step === 'COMPENSATING' && !saga.releasePending && !saga.refundPending) {
      this.setSaga({ ...saga, step: 'CANCELLED', nextAttemptAt: null });
    }
  }

  private setStatus(status: OrderStatus, reason: CancellationReason | null, now: Date): void {
    this.props = { ...this.props, status, cancellationReason: reason, updatedAt: now };
  }

  get id() {
    return this.props.id;
  }
  get userId() {
    return this.props.userId;
  }
  get status() {
    return this.props.status;
  }
  get saga(): Readonly<SagaState> {
    return this.props.saga;
  }
  get finished(): boolean {
    return FINISHED_STEPS.includes(this.props.saga.step);
  }

  snapshot(): Readonly<OrderProps> {
    return { ...this.props, lines: this.props.lines.map((l) => ({ ...l })), saga: { ...this.props.saga } };
  }
}

/** The shape rules of an order's lines, checked again here whoever the caller is. */
function checkLines(lines: { productId: string; quantity: number }[]): void {
  const problems: { field: string; message: string }[] = [];
  if (lines.length < 1 || lines.length > OrderingLimits.maxLines) {
    problems.push({ field: 'items', message: `items must hold 1 to ${OrderingLimits.maxLines} lines` });
  }
  if (new Set(lines.map((l) => l.productId.toLowerCase())).size !== lines.length) {
    problems.push({ field: 'items', message: 'each product may appear in one line only' });
  }
  lines.forEach((line, i) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > OrderingLimits.maxQuantity) {
      problems.push({ field: `items.${i}.quantity`, message: `quantity must be 1 to ${OrderingLimits.maxQuantity}` });
    }
  });
  if (problems.length) throw new ValidationFailed(problems);
}
