import type { NotificationChannel } from '@ficus/contracts';

/**
 * One BullMQ queue per channel, registered with `BullModule.registerQueue` so operator tools (Bull Board)
 * discover them. Names use dots: BullMQ keys are `<prefix>:<queue>:…`, so a queue name may not contain `:`.
 */
export const SEND_QUEUES: Record<NotificationChannel, string> = {
  email: 'notifications.email',
  push: 'notifications.push',
  sms: 'notifications.sms',
};

/** How long one try may hold a send before another may take it over (its worker presumably died). */
export const SEND_LEASE_MS = 60_000;
