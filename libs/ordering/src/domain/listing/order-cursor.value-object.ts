import { OrderingLimits } from '@ficus/contracts';
import { KeysetCursor, isExactInstant } from '@ficus/platform';
import { InvalidCursor } from '../ordering.errors.js';

/** The position after the last order of a page, newest first: its creation time plus its id (tie-breaker). */
export interface OrderCursorKey {
  createdAt: string;
  id: string;
}

const KIND = 'orders';

/**
 * Opaque to clients (`KeysetCursor` with kind "orders"). `created_at` is stored with millisecond precision,
 * so the ISO string compares exactly. Anything else is `INVALID_CURSOR`.
 */
export const OrderCursor = {
  encode(key: OrderCursorKey): string {
    return KeysetCursor.encode({ kind: KIND, value: key.createdAt, id: key.id });
  },

  decode(raw: string): OrderCursorKey {
    const position = KeysetCursor.decode(raw, OrderingLimits.cursorMaxLength);
    if (position?.kind !== KIND || !isExactInstant(position.value)) throw new InvalidCursor();
    return { createdAt: position.value, id: position.id };
  },
};
