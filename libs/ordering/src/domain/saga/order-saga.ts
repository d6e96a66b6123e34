/**
 * The order saga's persisted state: where the process stands and what it still owes. Every step is one
 * contract call (or none) followed by one state change, so a process that dies between two steps resumes
 * from here, and a step that is repeated (its call was made but its state change was lost) is harmless,
 * because every call it makes is idempotent per order.
 *
 * The moves it can make are ORDER_SAGA_TRANSITIONS below (drawn as a state diagram in docs/modules.md).
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

/** One arrow of the saga's state machine; `[*]` is the start or the end. */
export interface SagaTransition {
  from: SagaStep | '[*]';
  to: SagaStep | '[*]';
  /** What moves it. */
  on: string;
}

/**
 * Every move the saga can make: the order aggregate refuses any other (a bug, not a state), and the module
 * map (docs/modules.md) draws this table as the saga's state diagram.
 */
export const ORDER_SAGA_TRANSITIONS: readonly SagaTransition[] = [
  { from: '[*]', to: 'PENDING', on: 'order placed (202)' },
  { from: 'PENDING', to: 'STOCK_RESERVED', on: 'catalog reserved every line' },
  { from: 'PENDING', to: 'CANCELLED', on: 'catalog refused (OUT_OF_STOCK)' },
  { from: 'PENDING', to: 'COMPENSATING', on: 'user cancels, or deadline' },
  { from: 'STOCK_RESERVED', to: 'AWAITING_PAYMENT', on: 'payments stored the charge' },
  { from: 'STOCK_RESERVED', to: 'CONFIRMED', on: 'payment succeeded (charge answer lost)' },
  { from: 'STOCK_RESERVED', to: 'COMPENSATING', on: 'payment failed, user cancels, or deadline' },
  { from: 'AWAITING_PAYMENT', to: 'CONFIRMED', on: 'payment succeeded' },
  { from: 'AWAITING_PAYMENT', to: 'COMPENSATING', on: 'payment failed, user cancels, or deadline' },
  { from: 'CONFIRMED', to: 'COMPENSATING', on: 'user cancels' },
  { from: 'COMPENSATING', to: 'CANCELLED', on: 'stock released, charge refunded' },
  { from: 'CANCELLED', to: 'COMPENSATING', on: 'late payment succeeded, refund it' },
  { from: 'CONFIRMED', to: '[*]', on: 'done' },
  { from: 'CANCELLED', to: '[*]', on: 'done' },
];

/** Throws unless `from` → `to` is in ORDER_SAGA_TRANSITIONS (staying put is always allowed). */
export function assertTransition(from: SagaStep, to: SagaStep): void {
  if (from === to) return;
  if (!ORDER_SAGA_TRANSITIONS.some((t) => t.from === from && t.to === to)) {
    throw new Error(`The order saga cannot move from ${from} to ${to}`);
  }
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
