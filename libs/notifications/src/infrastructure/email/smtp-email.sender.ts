import { type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailMessage, EmailSender } from '../../domain/ports.js';

/**
 * E-mail over SMTP (nodemailer, pooled connections). A message the server does not accept (4xx/5xx, no
 * connection) throws, so the job retries; the Message-ID is the send's, the same on every try.
 */
export class SmtpEmailSender implements EmailSender, OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl, {});
  }

  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
