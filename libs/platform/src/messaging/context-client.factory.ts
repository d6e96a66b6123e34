import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { ContextName } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { ContextClient } from './context-client.js';
import { InProcessClient } from './in-process.client.js';
import { InProcessServer } from './in-process.server.js';
import { RedisRpcClient } from './redis/redis-rpc.client.js';

/** Set in a context host: the contexts this process serves. Every other context is then called over Redis. */
export const HOSTED_ONLY = Symbol('ficus.hosted-only');

/**
 * Marks the process as the host of `contexts` alone (`bootstrapContextHost`): a context it hosts that
 * calls another context (ordering calls catalog and payments) reaches it over Redis, wherever
 * `FICUS_REMOTE_CONTEXTS` is set or not in that process.
 */
@Module({})
export class HostedContextsModule {
  static only(contexts: readonly ContextName[]): DynamicModule {
    const provider = { provide: HOSTED_ONLY, useValue: [...contexts] };
    return { module: HostedContextsModule, global: true, providers: [provider], exports: [provider] };
  }
}

/**
 * One `ContextClient` per context, over the transport configuration picks: in-process by default, Redis
 * for the contexts named in `FICUS_REMOTE_CONTEXTS` (and, in a context host, for every context it does not
 * host). Switching is configuration, never a code change.
 */
@Injectable()
export class ContextClientFactory implements OnApplicationShutdown {
  private readonly logger = new Logger(ContextClientFactory.name);
  private readonly clients = new Map<ContextName, ContextClient>();
  private remote?: RedisRpcClient;

  constructor(
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
    private readonly server: InProcessServer,
    @Optional() @Inject(HOSTED_ONLY) private readonly hostedOnly?: readonly ContextName[],
  ) {}

  isRemote(context: ContextName): boolean {
    if (this.hostedOnly && !this.hostedOnly.includes(context)) return true;
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
