import { Logger } from '@nestjs/common';
import type { PushMessage, PushOutcome, PushSender } from '../../domain/ports.js';

/** Development without FCM credentials: the push is logged (never the token) and counts as sent. */
export class LoggingPushSender implements PushSender {
  private readonly logger = new Logger('PushSender');

  async send(message: PushMessage): Promise<PushOutcome> {
    this.logger.log({ event: 'notifications.push-logged', platform: message.platform, title: message.title });
    return 'sent';
  }
}
