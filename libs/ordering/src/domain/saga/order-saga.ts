/**
 * The order saga's persisted state: where the process stands and what it still owes. Every step is one
 * contract call (or none) followed by one state change, so a process that dies between two steps resumes
 * from here, and a step that is repeated (its call was made but its state change was lost) is harmless,
 * because every call it makes is idempotent per order.
 *
 * PENDING ─reserve─► STOCK_RESERVED ─charge─► AWAITING_PAYMENT ─payment succeeded─► CONFIRMED
 *    │ out of stock                                │ payment failed / timed out          │ user cancels
 *    ▼                                             ▼                                      ▼
 * CANCELLED ◄──────── nothing left to undo ─── COMPENSATING (release stock, refund) ◄─────┘
 */
export const SAGA_STEPS = [
  'PENDING',
  'STOCK_RESERVED',
  'AWAITING_PAYMENT',
  'CONFIRMED',
  'COMPENSATING',
  'CANCELLED',
] as const;

export type SagaStep = (typeof SAGA_STEPS)[number];

/** The work a step does: a contract call (or, for `time-out`, only a state change). */
export type SagaAction = 'reserve-stock' | 'charge' | 'release-stock' | 'refund' | 'time-out';

export interface SagaState {
  step: SagaStep;
  /** Kept until the charge is requested (or the order is cancelled), then forgotten. */
  paymentToken: string | null;
  /** A charge was requested: cancelling must refund it (payments refunds a later success too). */
  chargeRequested: boolean;
  /** Compensation still owed: give the order's stock back. */
  releasePending: boolean;
  /** Compensation still owed: refund the charge (or mark it so that a late success is refunded). */
  refundPending: boolean;
  /** Failed attempts of the current step. */
  attempts: number;
  /** When the sweeper should look at this saga again; `null` once it has finished. */
  nextAttemptAt: Date | null;
  /** A saga still short of CONFIRMED at this time gives up and compensates. */
  deadlineAt: Date;
  /** The last failure, for operators. */
  lastError: string | null;
}

/** Steps after which nothing is left to do. */
export const FINISHED_STEPS: readonly SagaStep[] = ['CONFIRMED', 'CANCELLED'];

export const SagaTiming = {
  /**
   * Events and the step loop drive a saga at once; this is how long the sweeper leaves a saga that is
   * being driven alone before it takes over (a process that died mid-step).
   */
  resumeAfterMs: 3000,
  retryBaseMs: 250,
  retryMaxMs: 30_000,
} as const;

/** What the saga should do next, or `null` when it waits for an event (or has finished). */
export function nextAction(saga: SagaState, now: Date): SagaAction | null {
  const late = now.getTime() >= saga.deadlineAt.getTime();
  switch (saga.step) {
    case 'PENDING':
      return late ? 'time-out' : 'reserve-stock';
    case 'STOCK_RESERVED':
      return late ? 'time-out' : 'charge';
    case 'AWAITING_PAYMENT':
      return late ? 'time-out' : null;
    case 'COMPENSATING':
      if (saga.releasePending) return 'release-stock';
      return saga.refundPending ? 'refund' : null;
    default:
      return null;
  }
}

/** Exponential backoff for a step that failed, `attempts` counting the failures so far (1 = first). */
export function retryDelayMs(attempts: number): number {
  return Math.min(SagaTiming.retryMaxMs, SagaTiming.retryBaseMs * 2 ** Math.max(0, attempts - 1));
}
