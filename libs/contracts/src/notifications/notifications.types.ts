import type { DevicePlatform, NotificationType } from './notifications.limits.js';

/** Register (or refresh) a push token for the calling user. Idempotent per token. */
export interface RegisterDeviceRequest {
  /** The signed-in user the device belongs to from now on (a token of another user moves to this one). */
  userId: string;
  /** The provider's push token (FCM registration token, APNs token, web push endpoint id). */
  token: string;
  /** `ios`, `android` or `web`. */
  platform: DevicePlatform;
}

/** A registered push device. */
export interface DeviceView {
  /** UUIDv7; stays the same while the token is re-registered. */
  id: string;
  platform: DevicePlatform;
  token: string;
  /** ISO 8601 UTC of the first registration. */
  createdAt: string;
}

/** Forget one of the caller's own devices. */
export interface RemoveDeviceRequest {
  userId: string;
  token: string;
}

/** The caller's inbox, newest first. */
export interface ListNotificationsRequest {
  userId: string;
  /** Page size, 1–100, default 20. */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

/** One item of the in-app inbox. */
export interface NotificationView {
  /** UUIDv7. */
  id: string;
  /** What it is about, e.g. `ORDER_CONFIRMED`. */
  type: NotificationType;
  /** Short headline, plain text. */
  title: string;
  /** One or two sentences, plain text. */
  body: string;
  /** Ids the app needs to open the subject, e.g. `{ orderId }`. */
  data: Record<string, string>;
  /** ISO 8601 UTC when the user read it; null while unread. */
  readAt: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** One page of the inbox. */
export interface NotificationPage {
  /** The items of this page, newest first. */
  items: NotificationView[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
  /** Unread items in the whole inbox (not only this page). */
  unreadCount: number;
}

/** Mark one of the caller's own inbox items read. Idempotent. */
export interface MarkNotificationReadRequest {
  userId: string;
  notificationId: string;
}

/** How many unread inbox items a user has (the home screen's badge). */
export interface GetUnreadCountRequest {
  userId: string;
}

/** The answer to `getUnreadCount`. */
export interface UnreadCountView {
  /** Unread inbox items, ≥ 0. */
  unreadCount: number;
}

/** The caller's channel preferences. */
export interface GetPreferencesRequest {
  userId: string;
}

/** Which channels a user accepts; the inbox item is written whatever they say. Default: all on. */
export interface NotificationPreferencesView {
  email: boolean;
  push: boolean;
  sms: boolean;
}

/** Replace all three preferences of the caller. */
export interface UpdatePreferencesRequest extends NotificationPreferencesView {
  userId: string;
}
