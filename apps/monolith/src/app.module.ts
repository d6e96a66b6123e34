/**
 * The Ficus monolith: the versioned REST facade plus every context hosted in-process. Contexts named in
 * FICUS_REMOTE_CONTEXTS are not hosted here: they run in their own process (apps/extracted/<ctx>) and the
 * facade reaches them through the same typed APIs, over Redis instead.
 */
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import {
  CATALOG_API,
  type CatalogApi,
  CatalogPatterns,
  IDENTITY_API,
  type IdentityApi,
  IdentityPatterns,
  type ContextName,
  NOTIFICATIONS_API,
  type NotificationsApi,
  NotificationsPatterns,
  MEDIA_API,
  type MediaApi,
  MediaPatterns,
  ORDERING_API,
  type OrderingApi,
  OrderingPatterns,
  PAYMENTS_API,
  type PaymentsApi,
  PaymentsPatterns,
} from '@ficus/contracts';
import { CatalogModule } from '@ficus/catalog';
import { IdentityModule } from '@ficus/identity';
import { NotificationsModule } from '@ficus/notifications';
import { MediaModule } from '@ficus/media';
import { OrderingModule } from '@ficus/ordering';
import { PaymentsModule } from '@ficus/payments';
import {
  ContextApiModule,
  type FicusConfig,
  ficusConfig,
  HealthModule,
  IdempotencyModule,
  MetricsController,
  PlatformModule,
} from '@ficus/platform';
import { AccessTokenGuard } from './http/auth/access-token.guard.js';
import { RolesGuard } from './http/auth/roles.guard.js';
import { AdminCatalogHttpController } from './http/catalog/admin-catalog.http.controller.js';
import { CatalogHttpController } from './http/catalog/catalog.http.controller.js';
import { QueueBoardModule } from './http/queue-board/queue-board.module.js';
import { HomeHttpController } from './http/home/home.http.controller.js';
import { AuthHttpController } from './http/identity/auth.http.controller.js';
import { MeHttpController } from './http/identity/me.http.controller.js';
import { DevicesHttpController } from './http/notifications/devices.http.controller.js';
import { NotificationPreferencesHttpController } from './http/notifications/notification-preferences.http.controller.js';
import { NotificationsHttpController } from './http/notifications/notifications.http.controller.js';
import { MediaUploadReceiver } from './http/media/media-upload.receiver.js';
import { MediaHttpController } from './http/media/media.http.controller.js';
import { OrdersHttpController } from './http/ordering/orders.http.controller.js';
import { EmailAttemptsLimiter } from './http/rate-limit/email-attempts.limiter.js';
import { FicusThrottlerGuard, limitFor } from './http/rate-limit/ficus-throttler.guard.js';
import { RedisThrottlerStorage, RedisThrottlerStorageModule } from './http/rate-limit/redis-throttler.storage.js';

const RATE_WINDOW_MS = 60_000;

/** The contexts this build can host in-process. */
export const CONTEXT_MODULES: Partial<Record<ContextName, Type>> = {
  identity: IdentityModule,
  catalog: CatalogModule,
  ordering: OrderingModule,
  payments: PaymentsModule,
  notifications: NotificationsModule,
  media: MediaModule,
};

/** The contexts hosted in this process: every built context except the extracted ones. */
export function hostedContexts(remote: readonly ContextName[]): ContextName[] {
  return (Object.keys(CONTEXT_MODULES) as ContextName[]).filter((context) => !remote.includes(context));
}

@Module({
  imports: [
    PlatformModule,
    HealthModule,
    // Idempotency-Key records for routes marked @Idempotent() (schema idempotency, pruned on a schedule).
    IdempotencyModule,
    // Bull Board at /admin/queues, admins only (its access hook is registered in app.factory.ts).
    QueueBoardModule,
    ContextApiModule.register<IdentityApi>({ context: 'identity', token: IDENTITY_API, patterns: IdentityPatterns }),
    ContextApiModule.register<CatalogApi>({ context: 'catalog', token: CATALOG_API, patterns: CatalogPatterns }),
    ContextApiModule.register<OrderingApi>({ context: 'ordering', token: ORDERING_API, patterns: OrderingPatterns }),
    // No route of its own (clients pay through ordering); the typed API serves operator tooling and tests.
    ContextApiModule.register<PaymentsApi>({ context: 'payments', token: PAYMENTS_API, patterns: PaymentsPatterns }),
    ContextApiModule.register<NotificationsApi>({
      context: 'notifications',
      token: NOTIFICATIONS_API,
      patterns: NotificationsPatterns,
    }),
    ContextApiModule.register<MediaApi>({ context: 'media', token: MEDIA_API, patterns: MediaPatterns }),
    ThrottlerModule.forRootAsync({
      inject: [ficusConfig.KEY, RedisThrottlerStorage],
      imports: [RedisThrottlerStorageModule],
      useFactory: (config: FicusConfig, storage: RedisThrottlerStorage) => ({
        storage,
        throttlers: [
          {
            name: 'default',
            ttl: RATE_WINDOW_MS,
            limit: (ctx) => limitFor(ctx, config.rateLimit.perUserPerMinute, config.rateLimit.perIpPerMinute),
          },
        ],
      }),
    }),
  ],
  controllers: [
    AuthHttpController,
    MeHttpController,
    CatalogHttpController,
    AdminCatalogHttpController,
    OrdersHttpController,
    HomeHttpController,
    DevicesHttpController,
    NotificationsHttpController,
    NotificationPreferencesHttpController,
    MediaHttpController,
    MetricsController,
  ],
  providers: [
    EmailAttemptsLimiter,
    MediaUploadReceiver,
    // Order matters: the actor must be known before the limiter picks the per-user budget.
    { provide: APP_GUARD, useClass: AccessTokenGuard },
    { provide: APP_GUARD, useClass: FicusThrottlerGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AppModule {
  static forRoot(remote: readonly ContextName[]): DynamicModule {
    return { module: AppModule, imports: hostedContexts(remote).map((context) => CONTEXT_MODULES[context]!) };
  }
}
