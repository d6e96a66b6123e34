import { type OnApplicationShutdown } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import type { EmailMessage, EmailSender } from '../../domain/ports.js';

/**
 * E-mail over SMTP (nodemailer, pooled connections). A message the server does not accept (4xx/5xx, no
 * connection) throws, so the job retries; the Message-ID is the send's, the same on every try. nodemailer
 * (~40 modules) is loaded on the first send, not at start: most processes never send mail.
 */
export class SmtpEmailSender implements EmailSender, OnApplicationShutdown {
  private transport?: Promise<Transporter>;
  private closed = false;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
  ) {}

  private open(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) => {
      const transport = nodemailer.createTransport(this.smtpUrl, {});
      if (this.closed) transport.close();
      return transport;
    });
    return this.transport;
  }

  async send(message: EmailMessage): Promise<void> {
    const transport = await this.open();
    await transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    (await this.transport)?.close();
  }
}
