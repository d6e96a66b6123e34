import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NotificationChannel } from '@ficus/contracts';

/** What a send job needs, stored with it so a retry sends exactly what the first try would have. */
export type SendMessage = Record<string, unknown>;

/** A send that has a job to run (or should have). */
export interface QueuedSend {
  id: string;
  channel: NotificationChannel;
}

export interface ClaimedSend {
  id: string;
  eventId: string;
  channel: NotificationChannel;
  recipient: string;
  userId: string;
  message: SendMessage;
  attempts: number;
  /** E-mail only: the address notifications knows for the user, read with the claim; null when it knows none. */
  knownEmail: string | null;
}

/** How a claim went: claimed (send now), done (sent/dropped/failed before: nothing to do), busy (another try runs). */
export type Claim = { state: 'claimed'; send: ClaimedSend } | { state: 'done' } | { state: 'busy' };

/** Sends and their outcome: the idempotency record of every e-mail, push and SMS. */
@Injectable()
export class SendRepository {
  constructor(@InjectDataSource('notifications') private readonly dataSource: DataSource) {}

  /**
   * Takes the send for one try: QUEUED (or SENDING whose lease ran out: its worker died) → SENDING until
   * `leaseMs` from now. Two copies of a job cannot both claim it. An e-mail's known address comes back with
   * the claim, saving the delivery a round trip of its own.
   */
  async claim(id: string, leaseMs: number): Promise<Claim> {
    const [rows] = (await this.dataSource.query(
      `UPDATE notifications.sends s SET status = 'SENDING', attempts = attempts + 1,
         lease_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000)
       WHERE id = $1 AND (status = 'QUEUED' OR (status = 'SENDING' AND lease_until < clock_timestamp()))
       RETURNING id, event_id, channel, recipient, user_id, message, attempts,
         CASE WHEN channel = 'email'
           THEN (SELECT email FROM notifications.recipients r WHERE r.user_id = s.user_id) END AS known_email`,
      [id, leaseMs],
    )) as [Record<string, never>[], number];
    if (rows.length) {
      const r = rows[0];
      const send: ClaimedSend = {
        id: r.id,
        eventId: r.event_id,
        channel: r.channel,
        recipient: r.recipient,
        userId: r.user_id,
        message: r.message,
        attempts: r.attempts,
        knownEmail: r.known_email,
      };
      return { state: 'claimed', send };
    }
    const current: { status: string }[] = await this.dataSource.query(
      `SELECT status FROM notifications.sends WHERE id = $1`,
      [id],
    );
    return current[0]?.status === 'SENDING' ? { state: 'busy' } : { state: 'done' };
  }

  /** SENT or DROPPED (nobody to send to: unregistered device, no address). */
  async finish(id: string, status: 'SENT' | 'DROPPED', note: string | null = null): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.sends SET status = $2, last_error = $3, lease_until = NULL, finished_at = clock_timestamp()
       WHERE id = $1`,
      [id, status, note],
    );
  }

  /** A try failed: back to QUEUED for the job's next try, or FAILED after its last (the job stays failed too). */
  async failed(id: string, error: string, final: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications.sends SET status = $2, last_error = left($3, 2000), lease_until = NULL,
         finished_at = CASE WHEN $2 = 'FAILED' THEN clock_timestamp() END
       WHERE id = $1 AND status = 'SENDING'`,
      [id, final ? 'FAILED' : 'QUEUED', error],
    );
  }

  /** Sends still owed long after they were recorded: their job was lost (Redis lost it, or a crash before enqueue). */
  async stale(olderThanMs: number, limit: number): Promise<QueuedSend[]> {
    return this.dataSource.query(
      `SELECT id, channel FROM notifications.sends
       WHERE status IN ('QUEUED', 'SENDING') AND created_at < clock_timestamp() - make_interval(secs => $1::double precision / 1000)
         AND (lease_until IS NULL OR lease_until < clock_timestamp())
       ORDER BY created_at LIMIT $2`,
      [olderThanMs, limit],
    );
  }
}
