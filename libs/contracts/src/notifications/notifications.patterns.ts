/** Message patterns notifications answers. Versioned: a breaking change is a new pattern beside the old one. */
export const NotificationsPatterns = {
  registerDevice: 'notifications.register-device.v1',
  removeDevice: 'notifications.remove-device.v1',
  listNotifications: 'notifications.list-notifications.v1',
  markNotificationRead: 'notifications.mark-notification-read.v1',
  getUnreadCount: 'notifications.get-unread-count.v1',
  getPreferences: 'notifications.get-preferences.v1',
  updatePreferences: 'notifications.update-preferences.v1',
} as const;
