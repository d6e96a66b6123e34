import type { LoggerService } from '@nestjs/common';
import type { WritePacket } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { isContractErrorBody } from '@ficus/contracts';
import { toContractErrorBody } from '../../errors/error-body.js';
import {
  replyChannel,
  type RpcReplyPacket,
  type RpcRequestPacket,
  storedReplyKey,
  storedReplyTtlMs,
} from './redis-rpc.protocol.js';

/** Stores the replies (KEYS[1] = ARGV[1] for ARGV[2] ms), then publishes the last one (ARGV[4] on ARGV[3]). */
const STORE_AND_PUBLISH = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('PUBLISH', ARGV[3], ARGV[4])`;

/**
 * How a server answers: replies are published on the caller's channel; those of a command with an
 * idempotency key are also stored until its deadline, before the last one is sent, so that a re-delivery
 * (the replica died before acknowledging the request) sends them again instead of running it again.
 */
export class RpcReplies {
  constructor(
    private readonly keyPrefix: string,
    /** The connection for commands, undefined once the server is closed. */
    private readonly redis: () => Redis | undefined,
    private readonly log: LoggerService,
  ) {}

  /** Sends one reply; `stored` collects the replies of a command with an idempotency key. */
  async send(request: RpcRequestPacket, reply: WritePacket, stored?: string[]): Promise<void> {
    const packet: RpcReplyPacket = { id: request.id, response: reply.response, isDisposed: reply.isDisposed };
    if (reply.err !== undefined) {
      packet.err =
        typeof reply.err === 'string' || isContractErrorBody(reply.err) ? reply.err : toContractErrorBody(reply.err);
      packet.isDisposed = true;
    }
    const body = JSON.stringify(packet);
    const channel = replyChannel(this.keyPrefix, request.replyTo);
    try {
      const redis = this.connected();
      stored?.push(body);
      if (stored && packet.isDisposed) {
        const key = storedReplyKey(this.keyPrefix, request.id);
        const ttl = storedReplyTtlMs(request, Date.now());
        // One command for both: cheaper than two, and the reply is stored before anyone can receive it.
        await redis.eval(STORE_AND_PUBLISH, 1, key, JSON.stringify(stored), ttl, channel, body);
      } else {
        await redis.publish(channel, body);
      }
    } catch (error) {
      // The caller's ContextClient times out (or its subscriber saw the same outage and failed the call).
      this.log.warn(
        { event: 'rpc.reply.failed', id: request.id, correlationId: request.headers.correlationId, err: String(error) },
        'Could not publish a reply',
      );
    }
  }

  /** Sends the stored replies of a request again; false when none are stored (it had not finished). */
  async replay(request: RpcRequestPacket): Promise<boolean> {
    const redis = this.connected();
    const stored = await redis.get(storedReplyKey(this.keyPrefix, request.id));
    if (stored === null) return false;
    const channel = replyChannel(this.keyPrefix, request.replyTo);
    for (const body of JSON.parse(stored) as string[]) await redis.publish(channel, body);
    return true;
  }

  private connected(): Redis {
    const redis = this.redis();
    if (!redis) throw new Error('the server is closed');
    return redis;
  }
}
