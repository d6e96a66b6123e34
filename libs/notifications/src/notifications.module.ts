/**
 * Notifications owns push devices, the in-app inbox, channel preferences and every e-mail, push and SMS
 * Ficus sends. It is driven only by other contexts' integration events (through its inbox, once each); each
 * send is a BullMQ job (queues `notifications.email` / `.push` / `.sms`) with retries, idempotent per
 * (event, channel, recipient) through its `sends` table. Channels sit behind ports: SMTP or a log for
 * e-mail, FCM HTTP v1 or a log for push, a log for SMS. Public surface: this module and the patterns/types
 * in @ficus/contracts.
 */
import { BullModule } from '@nestjs/bullmq';
import { Module, type Provider } from '@nestjs/common';
import { IDENTITY_API, type IdentityApi, IdentityPatterns } from '@ficus/contracts';
import { ContextApiModule, ContextDataModule, type FicusConfig, ficusConfig } from '@ficus/platform';
import { NotificationsEventController } from './api/notifications.event.controller.js';
import { NotificationsMessageController } from './api/notifications.message.controller.js';
import { ChannelDeliveries } from './application/deliver-send/channel-deliveries.js';
import { SendDispatcher } from './application/deliver-send/send.dispatcher.js';
import { GetPreferencesHandler } from './application/get-preferences/get-preferences.handler.js';
import { GetUnreadCountHandler } from './application/get-unread-count/get-unread-count.handler.js';
import { ListNotificationsHandler } from './application/list-notifications/list-notifications.handler.js';
import { MarkNotificationReadHandler } from './application/mark-notification-read/mark-notification-read.handler.js';
import { ReactToEventHandler } from './application/react-to-event/react-to-event.handler.js';
import { RegisterDeviceHandler } from './application/register-device/register-device.handler.js';
import { RemoveDeviceHandler } from './application/remove-device/remove-device.handler.js';
import { ResendSweeper } from './application/resend-sweep/resend.sweeper.js';
import { UpdatePreferencesHandler } from './application/update-preferences/update-preferences.handler.js';
import { LoggingEmailSender } from './infrastructure/email/logging-email.sender.js';
import { SmtpEmailSender } from './infrastructure/email/smtp-email.sender.js';
import { SendJobs } from './infrastructure/jobs/send-jobs.js';
import { SEND_QUEUES } from './infrastructure/jobs/send-queues.js';
import { EmailSendProcessor, PushSendProcessor, SmsSendProcessor } from './infrastructure/jobs/send.processors.js';
import { CreateNotificationsTables1736000000000 } from './infrastructure/persistence/migrations/1736000000000-create-notifications-tables.js';
import { DeviceRepository } from './infrastructure/persistence/device.repository.js';
import { InboxRepository } from './infrastructure/persistence/inbox.repository.js';
import { PreferenceRepository } from './infrastructure/persistence/preference.repository.js';
import { ReactionRepository } from './infrastructure/persistence/reaction.repository.js';
import { SendRepository } from './infrastructure/persistence/send.repository.js';
import { FcmPushSender } from './infrastructure/push/fcm-push.sender.js';
import { LoggingPushSender } from './infrastructure/push/logging-push.sender.js';
import { LoggingSmsSender } from './infrastructure/sms/logging-sms.sender.js';
import { EMAIL_SENDER, PUSH_SENDER, SMS_SENDER } from './notifications.di-tokens.js';

const handlers: Provider[] = [
  RegisterDeviceHandler,
  RemoveDeviceHandler,
  ListNotificationsHandler,
  MarkNotificationReadHandler,
  GetUnreadCountHandler,
  GetPreferencesHandler,
  UpdatePreferencesHandler,
  ReactToEventHandler,
];

const repositories: Provider[] = [
  DeviceRepository,
  InboxRepository,
  PreferenceRepository,
  ReactionRepository,
  SendRepository,
];

// The real adapters when configured, a log line otherwise (development, demos).
const channels: Provider[] = [
  {
    provide: EMAIL_SENDER,
    inject: [ficusConfig.KEY],
    useFactory: ({ notifications: n }: FicusConfig) =>
      n.smtpUrl ? new SmtpEmailSender(n.smtpUrl, n.emailFrom) : new LoggingEmailSender(),
  },
  {
    provide: PUSH_SENDER,
    inject: [ficusConfig.KEY],
    useFactory: ({ notifications: n }: FicusConfig) =>
      n.fcmProjectId && n.fcmClientEmail && n.fcmPrivateKey
        ? new FcmPushSender({
            projectId: n.fcmProjectId,
            clientEmail: n.fcmClientEmail,
            privateKey: n.fcmPrivateKey,
            apiUrl: n.fcmApiUrl,
            tokenUrl: n.fcmTokenUrl,
          })
        : new LoggingPushSender(),
  },
  { provide: SMS_SENDER, useClass: LoggingSmsSender },
];

const sending: Provider[] = [
  SendJobs,
  ChannelDeliveries,
  SendDispatcher,
  EmailSendProcessor,
  PushSendProcessor,
  SmsSendProcessor,
  ResendSweeper,
];

@Module({
  imports: [
    ContextDataModule.forContext({
      context: 'notifications',
      entities: [],
      migrations: [CreateNotificationsTables1736000000000],
    }),
    BullModule.registerQueue(...Object.values(SEND_QUEUES).map((name) => ({ name }))),
    // Only for an address notifications has not learnt from identity's registration event.
    ContextApiModule.register<IdentityApi>({ context: 'identity', token: IDENTITY_API, patterns: IdentityPatterns }),
  ],
  controllers: [NotificationsMessageController, NotificationsEventController],
  providers: [...handlers, ...repositories, ...channels, ...sending],
})
export class NotificationsModule {}
