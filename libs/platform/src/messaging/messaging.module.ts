import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import type { ContextName } from '@ficus/contracts';
import { type ApiMethod, createContextApi } from './context-api.js';
import { ContextClientFactory } from './context-client.factory.js';
import { OutboxRegistry } from '../outbox/outbox-registry.js';
import { InProcessServer } from './in-process.server.js';

/** Process-wide messaging: the in-process transport, the per-context client factory, the relay registry. */
@Global()
@Module({
  providers: [InProcessServer, ContextClientFactory, OutboxRegistry],
  exports: [InProcessServer, ContextClientFactory, OutboxRegistry],
})
export class MessagingModule {}

/**
 * Provides one context's typed API under its token, e.g.
 * `ContextApiModule.register({ context: 'identity', token: IDENTITY_API, patterns: IdentityPatterns })`.
 */
@Module({})
export class ContextApiModule {
  static register<TApi extends { [K in keyof TApi]: ApiMethod }>(options: {
    context: ContextName;
    token: symbol;
    patterns: { readonly [K in keyof TApi]: string };
  }): DynamicModule {
    const provider: Provider = {
      provide: options.token,
      inject: [ContextClientFactory],
      useFactory: (factory: ContextClientFactory) =>
        createContextApi<TApi>(factory.get(options.context), options.patterns),
    };
    return { module: ContextApiModule, providers: [provider], exports: [provider] };
  }
}
