import { CatalogLimits } from '@ficus/contracts';
import { type DomainError, ValidationFailed } from '@ficus/platform';
import { InsufficientStock, ProductNotFound, ReservationMismatch, ReservationReleased } from '../catalog.errors.js';

export interface StockLine {
  productId: string;
  quantity: number;
}

/** Why a reservation was refused; kept so that repeating it gives the same answer. */
export interface ReservationFailure {
  code: 'INSUFFICIENT_STOCK' | 'PRODUCT_NOT_FOUND';
  productId: string;
}

export type ReservationStatus = 'RESERVED' | 'REJECTED' | 'RELEASED';

export interface OrderReservationProps {
  orderId: string;
  status: ReservationStatus;
  /** Reserved lines (kept after release, for idempotent answers), ordered by product id. */
  lines: StockLine[];
  failure: ReservationFailure | null;
  decidedAt: Date;
  releasedAt: Date | null;
}

/**
 * The stock decision for one order, made once. Reserve: all lines or none (`RESERVED` / `REJECTED`);
 * release: gives reserved lines back (`RELEASED`). A release that arrives before its reservation (the
 * order was cancelled while the reservation was in flight) leaves a `RELEASED` marker, so the late
 * reservation is refused instead of holding stock for a dead order.
 */
export class OrderReservation {
  private constructor(private props: OrderReservationProps) {}

  static restore(props: OrderReservationProps): OrderReservation {
    return new OrderReservation({ ...props, lines: [...props.lines] });
  }

  static reserved(orderId: string, lines: StockLine[], now: Date): OrderReservation {
    return new OrderReservation({
      orderId,
      status: 'RESERVED',
      lines,
      failure: null,
      decidedAt: now,
      releasedAt: null,
    });
  }

  static rejected(orderId: string, failure: ReservationFailure, now: Date): OrderReservation {
    return new OrderReservation({ orderId, status: 'REJECTED', lines: [], failure, decidedAt: now, releasedAt: null });
  }

  /** A release with nothing reserved: remembered so a late reservation of the order is refused. */
  static releasedBeforeReserved(orderId: string, now: Date): OrderReservation {
    return new OrderReservation({
      orderId,
      status: 'RELEASED',
      lines: [],
      failure: null,
      decidedAt: now,
      releasedAt: now,
    });
  }

  /**
   * What a reservation of `requested` answers, the first time and every time after: the reserved lines, or
   * the error that refused them.
   */
  answerTo(requested: StockLine[]): { lines: StockLine[]; reservedAt: Date } {
    if (this.props.status === 'RELEASED') throw new ReservationReleased();
    if (this.props.status === 'REJECTED') throw failureError(this.props.failure!);
    if (!sameLines(this.props.lines, requested)) throw new ReservationMismatch();
    return { lines: this.lines, reservedAt: this.props.decidedAt };
  }

  /**
   * Releases the reservation. Returns the lines to put back on sale, or an empty list when there is
   * nothing (left) to give back; `changed` says whether the state must be saved.
   */
  release(now: Date): { giveBack: StockLine[]; changed: boolean } {
    if (this.props.releasedAt) return { giveBack: [], changed: false };
    const giveBack = this.props.status === 'RESERVED' ? this.lines : [];
    this.props = {
      ...this.props,
      status: this.props.status === 'RESERVED' ? 'RELEASED' : this.props.status,
      releasedAt: now,
    };
    return { giveBack, changed: true };
  }

  get orderId() {
    return this.props.orderId;
  }
  get status() {
    return this.props.status;
  }
  /** What a release answers: the lines that went back to stock (none for a refused reservation). */
  get releasedLines(): StockLine[] {
    return this.props.status === 'RELEASED' ? this.lines : [];
  }
  get lines(): StockLine[] {
    return this.props.lines.map((l) => ({ ...l }));
  }

  snapshot(): Readonly<OrderReservationProps> {
    return { ...this.props, lines: this.lines };
  }
}

/** The typed error a refused reservation answers with. */
export function failureError(failure: ReservationFailure): DomainError {
  return failure.code === 'PRODUCT_NOT_FOUND'
    ? new ProductNotFound(failure.productId)
    : new InsufficientStock(failure.productId);
}

/**
 * Checks the lines of a reservation and orders them by product id: rows are locked in that order by
 * every reservation and release, so two orders sharing products can never deadlock.
 */
export function normalizeLines(lines: StockLine[]): StockLine[] {
  const problems: { field: string; message: string }[] = [];
  if (lines.length < 1 || lines.length > CatalogLimits.maxReservationLines) {
    problems.push({ field: 'lines', message: `lines must hold 1 to ${CatalogLimits.maxReservationLines} entries` });
  }
  if (new Set(lines.map((l) => l.productId.toLowerCase())).size !== lines.length) {
    problems.push({ field: 'lines', message: 'each product may appear in one line only' });
  }
  lines.forEach((line, i) => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > CatalogLimits.maxLineQuantity) {
      problems.push({
        field: `lines.${i}.quantity`,
        message: `quantity must be 1 to ${CatalogLimits.maxLineQuantity}`,
      });
    }
  });
  if (problems.length) throw new ValidationFailed(problems);
  return lines
    .map((l) => ({ productId: l.productId.toLowerCase(), quantity: l.quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** Compares two normalized line lists. */
export function sameLines(a: StockLine[], b: StockLine[]): boolean {
  return a.length === b.length && a.every((l, i) => l.productId === b[i].productId && l.quantity === b[i].quantity);
}
