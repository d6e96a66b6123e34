/** Ports are injected by Symbol so the application layer never names an implementation. */
export const EMAIL_SENDER = Symbol('notifications.EmailSender');
export const PUSH_SENDER = Symbol('notifications.PushSender');
export const SMS_SENDER = Symbol('notifications.SmsSender');
