import { NotificationsLimits } from '@ficus/contracts';
import { KeysetCursor, isExactInstant } from '@ficus/platform';
import { InvalidCursor } from './notifications.errors.js';

/** The position after the last item of a page, newest first: its creation time plus its id (tie-breaker). */
export interface InboxCursorKey {
  createdAt: string;
  id: string;
}

const KIND = 'notifications';

/**
 * Opaque to clients (`KeysetCursor` with kind "notifications"). Items are stored with millisecond precision,
 * so the ISO string compares exactly. Anything else (an orders cursor too) is `INVALID_CURSOR`.
 */
export const InboxCursor = {
  encode(key: InboxCursorKey): string {
    return KeysetCursor.encode({ kind: KIND, value: key.createdAt, id: key.id });
  },

  decode(raw: string): InboxCursorKey {
    const position = KeysetCursor.decode(raw, NotificationsLimits.cursorMaxLength);
    if (position?.kind !== KIND || !isExactInstant(position.value)) throw new InvalidCursor();
    return { createdAt: position.value, id: position.id };
  },
};
