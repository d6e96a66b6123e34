/**
 * Bounds of notifications fields, shared by the facade's DTOs and notifications' own message checks so both
 * edges refuse the same input.
 */
export const NotificationsLimits = {
  /** Push tokens: FCM registration tokens are ~160 characters, APNs 64 hex; anything far longer is refused. */
  deviceTokenMaxLength: 512,
  cursorMaxLength: 512,
  defaultPageSize: 20,
  maxPageSize: 100,
} as const;

/** Where a device receives pushes. */
export const DEVICE_PLATFORMS = ['ios', 'android', 'web'] as const;

/** One of `DEVICE_PLATFORMS`. */
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

/** What an inbox item is about. */
export const NOTIFICATION_TYPES = ['ORDER_CONFIRMED', 'ORDER_CANCELLED'] as const;

/** One of `NOTIFICATION_TYPES`. */
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The channels a notification can go out on; each can be turned off in the preferences. */
export const NOTIFICATION_CHANNELS = ['email', 'push', 'sms'] as const;

/** One of `NOTIFICATION_CHANNELS`. */
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
