import type { CallMeta } from '../messaging/call-meta.js';
import type {
  DeviceView,
  GetPreferencesRequest,
  GetUnreadCountRequest,
  ListNotificationsRequest,
  MarkNotificationReadRequest,
  NotificationPage,
  NotificationPreferencesView,
  RegisterDeviceRequest,
  RemoveDeviceRequest,
  UnreadCountView,
  UpdatePreferencesRequest,
} from './notifications.types.js';

/**
 * Notifications' public API. The facade injects it by `NOTIFICATIONS_API`, in-process or over Redis alike.
 * Sending is not part of it: notifications is driven only by other contexts' integration events.
 */
export interface NotificationsApi {
  /** Upsert a push token for the user; a token registered by another user moves to this one. */
  registerDevice(data: RegisterDeviceRequest, meta: CallMeta): Promise<DeviceView>;
  /** Forget one of the user's devices. Fails with `DEVICE_NOT_FOUND` (also for another user's token). */
  removeDevice(data: RemoveDeviceRequest, meta: CallMeta): Promise<void>;
  /** The user's inbox, newest first, with the unread count. Fails with `INVALID_CURSOR`. */
  listNotifications(data: ListNotificationsRequest, meta: CallMeta): Promise<NotificationPage>;
  /** Mark an inbox item read (idempotent). Fails with `NOTIFICATION_NOT_FOUND` (also for another user's). */
  markNotificationRead(data: MarkNotificationReadRequest, meta: CallMeta): Promise<void>;
  /** Unread inbox items of the user (0 for a user with none). */
  getUnreadCount(data: GetUnreadCountRequest, meta: CallMeta): Promise<UnreadCountView>;
  /** The user's channel preferences (all on until changed). */
  getPreferences(data: GetPreferencesRequest, meta: CallMeta): Promise<NotificationPreferencesView>;
  /** Replace the user's channel preferences; answers what is stored. */
  updatePreferences(data: UpdatePreferencesRequest, meta: CallMeta): Promise<NotificationPreferencesView>;
}

/** Injection token for `NotificationsApi`. */
export const NOTIFICATIONS_API = Symbol.for('ficus.NotificationsApi');
