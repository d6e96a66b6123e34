import { Logger, Injectable } from '@nestjs/common';
import { SendRepository } from '../../infrastructure/persistence/send.repository.js';
import { SEND_LEASE_MS } from '../../infrastructure/jobs/send-queues.js';
import { ChannelDeliveries } from './channel-deliveries.js';

/**
 * Runs one try of one send, idempotently: it claims the send row first, so a send already SENT (a job
 * retried after its success, a duplicate job) is never sent again, and records the outcome right after
 * the provider answered. A try that fails puts the send back (or marks it FAILED after the last) and
 * rethrows for BullMQ's retry.
 */
@Injectable()
export class SendDispatcher {
  private readonly logger = new Logger('NotificationSends');

  constructor(
    private readonly sends: SendRepository,
    private readonly deliveries: ChannelDeliveries,
  ) {}

  async deliver(sendId: string, final: boolean): Promise<void> {
    const claim = await this.sends.claim(sendId, SEND_LEASE_MS);
    if (claim.state === 'done') return;
    if (claim.state === 'busy') throw new Error(`send ${sendId} is being sent by another try`);
    const { send } = claim;
    try {
      const outcome = await this.deliveries.deliver(send);
      await this.sends.finish(send.id, outcome.status, outcome.status === 'DROPPED' ? outcome.note : null);
      this.logger.log({ event: 'notifications.sent', sendId, channel: send.channel, status: outcome.status });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.sends.failed(send.id, message, final);
      this.logger.warn({ event: 'notifications.send-failed', sendId, channel: send.channel, final, err: message });
      throw error;
    }
  }
}
