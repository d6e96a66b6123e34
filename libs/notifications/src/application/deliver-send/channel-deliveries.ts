import { Inject, Logger, Injectable } from '@nestjs/common';
import { type DevicePlatform, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';
import type { EmailSender, PushSender, SmsSender } from '../../domain/ports.js';
import { DeviceRepository } from '../../infrastructure/persistence/device.repository.js';
import type { ClaimedSend } from '../../infrastructure/persistence/send.repository.js';
import { EMAIL_SENDER, PUSH_SENDER, SMS_SENDER } from '../../notifications.di-tokens.js';

/** What became of a send: delivered to the provider, or dropped because there is nobody to send it to. */
export type DeliveryOutcome = { status: 'SENT' } | { status: 'DROPPED'; note: string };

/** Hands one claimed send to its channel's port. Throws when the provider did not take it (the job retries). */
@Injectable()
export class ChannelDeliveries {
  private readonly logger = new Logger('NotificationDeliveries');

  constructor(
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    @Inject(PUSH_SENDER) private readonly push: PushSender,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    private readonly devices: DeviceRepository,
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
  ) {}

  async deliver(send: ClaimedSend): Promise<DeliveryOutcome> {
    const m = send.message as Record<string, string> & { data?: Record<string, string> };
    if (send.channel === 'email') {
      const to = await this.addressOf(send);
      if (!to) return { status: 'DROPPED', note: 'NO_EMAIL_ADDRESS' };
      await this.email.send({ messageId: `<${send.id}@notifications.ficus>`, to, subject: m.subject, text: m.text });
      return { status: 'SENT' };
    }
    if (send.channel === 'push') {
      const outcome = await this.push.send({
        token: m.token,
        platform: m.platform as DevicePlatform,
        title: m.title,
        body: m.body,
        data: m.data ?? {},
      });
      if (outcome === 'sent') return { status: 'SENT' };
      await this.devices.removeById(send.recipient);
      this.logger.log({ event: 'notifications.device-unregistered', deviceId: send.recipient });
      return { status: 'DROPPED', note: 'UNREGISTERED' };
    }
    await this.sms.send({ to: m.to, text: m.text });
    return { status: 'SENT' };
  }

  /**
   * The address identity published at registration; for a user notifications has not heard of (registered
   * before notifications ran), identity is asked. An unknown user has no address: the e-mail is dropped.
   */
  private async addressOf(send: ClaimedSend): Promise<string | null> {
    if (send.knownEmail) return send.knownEmail;
    try {
      const meta = { correlationId: `notifications-send-${send.id}`, actor: null };
      return (await this.identity.getUser({ userId: send.userId }, meta)).email;
    } catch (error) {
      if (error instanceof ContractCallError && error.code === 'USER_NOT_FOUND') return null;
      throw error;
    }
  }
}
