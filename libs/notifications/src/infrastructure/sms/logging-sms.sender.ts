import { Logger } from '@nestjs/common';
import type { SmsMessage, SmsSender } from '../../domain/ports.js';

/** The only SMS adapter so far: logs that a message would go out (not the number, not the text). */
export class LoggingSmsSender implements SmsSender {
  private readonly logger = new Logger('SmsSender');

  async send(message: SmsMessage): Promise<void> {
    this.logger.log({ event: 'notifications.sms-logged', length: message.text.length });
  }
}
