import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { ContextName } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { ContextClient } from './context-client.js';
import { InProcessClient } from './in-process.client.js';
import { InProcessServer } from './in-process.server.js';
import { RedisRpcClient } from './redis/redis-rpc.client.js';

/**
 * One `ContextClient` per context, over the transport configuration picks: in-process by default, Redis
 * for the contexts named in `FICUS_REMOTE_CONTEXTS`. Switching is configuration, never a code change.
 */
@Injectable()
export class ContextClientFactory implements OnApplicationShutdown {
  private readonly logger = new Logger(ContextClientFactory.name);
  private readonly clients = new Map<ContextName, ContextClient>();
  private remote?: RedisRpcClient;

  constructor(
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
    private readonly server: InProcessServer,
  ) {}

  isRemote(context: ContextName): boolean {
    return this.config.messaging.remoteContexts.includes(context);
  }

  get(context: ContextName): ContextClient {
    let client = this.clients.get(context);
    if (!client) {
      const { callTimeoutMs, breakerThreshold, breakerCooldownSeconds } = this.config.messaging;
      // In-process calls share the caller's fate; only a remote context gets a breaker of its own.
      const breaker = this.isRemote(context)
        ? new CircuitBreaker(context, { failureThreshold: breakerThreshold, cooldownMs: breakerCooldownSeconds * 1000 })
        : undefined;
      client = new ContextClient(context, this.createProxy(context), { timeoutMs: callTimeoutMs, breaker });
      this.clients.set(context, client);
    }
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close().catch(() => undefined)));
  }

  private createProxy(context: ContextName): ClientProxy {
    if (!this.isRemote(context)) return new InProcessClient(this.server);
    this.logger.log({ event: 'context.remote', context }, `${context} is called over Redis`);
    // One Redis client for every remote context: one reply channel and one subscriber per process.
    this.remote ??= new RedisRpcClient({ url: this.config.redis.url, keyPrefix: this.config.redis.keyPrefix });
    return this.remote;
  }
}
