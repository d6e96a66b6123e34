import type { PendingEvent } from '@ficus/platform';
import type { PaymentIntent } from './payment-intent.aggregate.js';

/** An open transaction, opaque to the domain; repositories know what it really is. */
export interface Tx {
  readonly __tx: unique symbol;
}

export interface TransactionRunner {
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * Who took an order first: its charge (the order has this intent) or a refund before any charge (the
 * order is void, and never charged).
 */
export type OrderClaim = { by: 'charge'; intent: PaymentIntent } | { by: 'void' };

export interface PaymentIntentRepository {
  /**
   * Claims the order for this charge and inserts its intent, in one statement on its own (no transaction):
   * false, and nothing written, when the order was claimed before — by a charge or a void, which
   * `findClaim` tells. A claim in progress is waited for, so of a charge and a void racing exactly one
   * wins. With `claimForMs`, the intent is inserted already claimed (attempt 1, leased that long) by the
   * worker of this process, which starts it without claiming it.
   */
  insertClaimingOrder(intent: PaymentIntent, claimForMs: number | null): Promise<boolean>;
  /**
   * Claims the order as void (refunded before any charge, so a late charge is refused), in one statement
   * on its own: false when the order was claimed before (charged, or voided already).
   */
  claimVoid(orderId: string, now: Date): Promise<boolean>;
  /** The order's claim as committed now: after a claim that lost, the one that won. */
  findClaim(orderId: string): Promise<OrderClaim | null>;
  save(tx: Tx, intent: PaymentIntent): Promise<void>;
  findByOrder(orderId: string, tx?: Tx): Promise<PaymentIntent | null>;
  /** Locks the row for the rest of the transaction. */
  findByOrderForUpdate(tx: Tx, orderId: string): Promise<PaymentIntent | null>;
  /** Locks the row for the rest of the transaction. */
  findByIdForUpdate(tx: Tx, id: string): Promise<PaymentIntent | null>;
}

/** A claimed piece of provider work: the intent as claimed and how many times it has been claimed. */
export interface PaymentWork {
  intent: PaymentIntent;
  attempts: number;
}

/**
 * Provider calls to make, kept in Postgres so a crash loses nothing: a charge for each `PENDING` intent,
 * a refund for each `SUCCEEDED` intent asked back. Claims are leased, so a worker that dies mid-call
 * leaves work that another claims after the lease.
 */
export interface PaymentWorkQueue {
  /** Claims up to `limit` due intents for `leaseMs` (FOR UPDATE SKIP LOCKED: replicas never share one). */
  claimDue(limit: number, leaseMs: number): Promise<PaymentWork[]>;
  /**
   * Writes a charge's outcome (as `settled` holds it) over the still PENDING intent with the event that
   * announces it, in one statement, and ends the claim (kept `refundHoldMs` longer when a refund was asked
   * for meanwhile); answers the intent as stored, or `null` (nothing written) when it had been settled
   * already.
   */
  recordCharge(
    settled: PaymentIntent,
    refundHoldMs: number,
    announce: { correlationId: string; event: PendingEvent<unknown> },
  ): Promise<PaymentIntent | null>;
  /** Done with this piece of work (with `holdMs`, keeps the intent claimed for a follow-up call); attempts start over. */
  release(tx: Tx, intentId: string, holdMs?: number): Promise<void>;
  /** Gives the intent back, to be claimed again after `delayMs`. */
  retryLater(tx: Tx, intentId: string, delayMs: number): Promise<void>;
}

export interface ProviderChargeRequest {
  paymentToken: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

/** What a provider that answered says: approved with its charge id, or declined. */
export type ProviderChargeAnswer = { approved: true; chargeId: string } | { approved: false; declineCode: string };

export interface ProviderRefundRequest {
  chargeId: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

/**
 * The payment provider (the fake of API.md, or a real PSP's adapter). Calls honour `signal`: it is aborted
 * when the caller gives up. A provider that errs (5xx, connection refused) throws `ProviderFailure`; a
 * decline is an answer, not a failure.
 */
export interface PaymentProvider {
  charge(request: ProviderChargeRequest, signal: AbortSignal): Promise<ProviderChargeAnswer>;
  refund(request: ProviderRefundRequest, signal: AbortSignal): Promise<{ refundId: string }>;
}

/** The provider failed to answer properly (a 5xx or a broken connection). Counts for the breaker. */
export class ProviderFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderFailure';
  }
}
