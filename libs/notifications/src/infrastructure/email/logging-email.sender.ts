import { Logger } from '@nestjs/common';
import type { EmailMessage, EmailSender } from '../../domain/ports.js';

/** Development without `SMTP_URL`: the e-mail is logged (subject and recipient, not the body) and counts as sent. */
export class LoggingEmailSender implements EmailSender {
  private readonly logger = new Logger('EmailSender');

  async send(message: EmailMessage): Promise<void> {
    this.logger.log({ event: 'notifications.email-logged', messageId: message.messageId, subject: message.subject });
  }
}
