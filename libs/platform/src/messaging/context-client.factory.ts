import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import type { ContextName } from '@ficus/contracts';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { ContextClient } from './context-client.js';
import { InProcessClient } from './in-process.client.js';
import { InProcessServer } from './in-process.server.js';

/**
 * One `ContextClient` per context, over the transport configuration picks: in-process by default, Redis
 * for the contexts named in `FICUS_REMOTE_CONTEXTS`. Switching is configuration, never a code change.
 */
@Injectable()
export class ContextClientFactory implements OnApplicationShutdown {
  private readonly logger = new Logger(ContextClientFactory.name);
  private readonly clients = new Map<ContextName, ContextClient>();

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
      client = new ContextClient(context, this.createProxy(context), this.config.messaging.callTimeoutMs);
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
    const url = new URL(this.config.redis.url);
    return ClientProxyFactory.create({
      transport: Transport.REDIS,
      options: {
        host: url.hostname,
        port: Number(url.port || 6379),
        password: url.password || undefined,
        retryAttempts: 1_000_000,
        retryDelay: 1000,
      },
    });
  }
}
