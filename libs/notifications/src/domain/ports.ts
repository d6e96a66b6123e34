import type { DevicePlatform } from '@ficus/contracts';

/** An e-mail as the sender port takes it; `messageId` is stable per send, so retries carry the same one. */
export interface EmailMessage {
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail (SMTP in production, a log line in development). Throws when the message was not accepted. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

export interface PushMessage {
  token: string;
  platform: DevicePlatform;
  title: string;
  body: string;
  /** String values only (FCM's `data` map). */
  data: Record<string, string>;
}

/**
 * `unregistered`: the provider says the token is dead (app uninstalled); the device is forgotten. Any other
 * failure throws, and the job retries.
 */
export type PushOutcome = 'sent' | 'unregistered';

export interface PushSender {
  send(message: PushMessage): Promise<PushOutcome>;
}

export interface SmsMessage {
  to: string;
  text: string;
}

/** No event sends SMS yet (Ficus stores no phone numbers); the port and queue are ready for one. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
