import { NotificationsLimits } from '@ficus/contracts';
import { InvalidCursor } from './notifications.errors.js';

/** The position after the last item of a page, newest first: its creation time plus its id (tie-breaker). */
export interface InboxCursorKey {
  createdAt: string;
  id: string;
}

const VERSION = 1;
const KIND = 'notifications';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Opaque to clients: base64url of `[version, "notifications", createdAt, id]` JSON. Items are stored with
 * millisecond precision, so the ISO string compares exactly. Anything else (an orders cursor too) is
 * `INVALID_CURSOR`.
 */
export const InboxCursor = {
  encode(key: InboxCursorKey): string {
    return Buffer.from(JSON.stringify([VERSION, KIND, key.createdAt, key.id])).toString('base64url');
  },

  decode(raw: string): InboxCursorKey {
    if (raw.length > NotificationsLimits.cursorMaxLength || !BASE64URL.test(raw)) throw new InvalidCursor();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursor();
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) throw new InvalidCursor();
    const [version, kind, createdAt, id] = parsed as unknown[];
    if (version !== VERSION || kind !== KIND) throw new InvalidCursor();
    if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursor();
    if (typeof createdAt !== 'string' || !ISO_MILLIS.test(createdAt)) throw new InvalidCursor();
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) throw new InvalidCursor();
    return { createdAt, id };
  },
};
