import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
// Not the package index: see queue-board.module.ts.
import { InjectBullBoard } from '@bull-board/nestjs/dist/bull-board.decorator.js';
import type { BullBoardInstance } from '@bull-board/nestjs/dist/bull-board.types.js';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type FicusConfig, ficusConfig, QueueRegistry, type RegisteredQueue } from '@ficus/platform';

/**
 * Puts every BullMQ queue of this process on the board: the platform's (event queues, recurring jobs),
 * reported by the `QueueRegistry` as they appear, and those registered as Nest providers through
 * `@nestjs/bullmq` (a context's job queues), found by discovery. The board reads the platform's queues
 * through `Queue` handles of its own on one connection, so it never holds up or closes their owners.
 */
@Injectable()
export class QueueBoardRegistrar implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly shown = new Set<string>();
  private readonly ownQueues: Queue[] = [];
  private connection?: Redis;
  private unsubscribe?: () => void;

  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly registry: QueueRegistry,
    private readonly discovery: DiscoveryService,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue) this.show(instance);
    }
    this.unsubscribe = this.registry.subscribe((queue) => this.showRegistered(queue));
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    // The handles only read: drop the connection first (BullMQ leaves one it was handed open, and a graceful
    // close waits for a Redis that may be away, for ever), then let the handles go.
    this.connection?.disconnect();
    await Promise.all(this.ownQueues.map((queue) => queue.close().catch(() => undefined)));
  }

  private showRegistered({ name, prefix }: RegisteredQueue): void {
    if (this.shown.has(`${prefix}\u0000${name}`)) return;
    // Fail fast while Redis is away: the board answers an error instead of hanging the page.
    this.connection ??= new Redis(this.config.redis.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectionName: 'ficus-queue-board',
    });
    const queue = new Queue(name, { connection: this.connection, prefix });
    queue.on('error', () => undefined); // the board shows Redis errors itself; the owners log theirs
    this.ownQueues.push(queue);
    this.show(queue);
  }

  private show(queue: Queue): void {
    const key = `${queue.opts.prefix ?? 'bull'}\u0000${queue.name}`;
    if (this.shown.has(key)) return;
    this.shown.add(key);
    this.board.addQueue(new BullMQAdapter(queue));
  }
}
