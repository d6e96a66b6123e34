import { Controller, Get, Inject } from '@nestjs/common';
import {
  CATALOG_API,
  type CallMeta,
  type CatalogApi,
  IDENTITY_API,
  type IdentityApi,
  NOTIFICATIONS_API,
  type NotificationsApi,
  ORDERING_API,
  type OrderingApi,
} from '@ficus/contracts';
import { type FicusConfig, ficusConfig, ApiOperation, ApiTags } from '@ficus/platform';
import { Meta } from '../auth/actor.decorator.js';
import { PublicRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiRead } from '../docs/api-success.decorator.js';
import { HomeSections } from './home-sections.js';
import { HOME_FEATURED_LIMIT, HOME_RECENT_ORDERS_LIMIT, HomeResponseDto } from './home.response.dto.js';

/**
 * The app's first screen in one round trip: the caller, the shop window, their latest orders and the unread
 * badge, read from four contexts in parallel through their typed APIs. Each section has its own deadline
 * (HOME_SECTION_DEADLINE_MS): a slow or down context empties only its section and is named in `degraded`;
 * the answer is 200 whatever the contexts do. Anonymous callers get the shop window only; a token that is
 * sent is still verified (a bad one is 401, not an anonymous answer).
 */
@ApiTags('home')
@PublicRoute()
@Controller('home')
export class HomeHttpController {
  constructor(
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
    @Inject(CATALOG_API) private readonly catalog: CatalogApi,
    @Inject(ORDERING_API) private readonly ordering: OrderingApi,
    @Inject(NOTIFICATIONS_API) private readonly notifications: NotificationsApi,
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The app’s first screen',
    description:
      'me, categories, the newest products, the caller’s three newest orders and the unread-notification count, ' +
      'fetched in parallel. A context slower than the section deadline (300 ms by default) or down leaves its ' +
      'section empty (me: null, [] or 0) and is listed in degraded; the answer is still 200.',
  })
  @ApiRead(HomeResponseDto)
  @ApiProblems()
  async home(@Meta() meta: CallMeta): Promise<HomeResponseDto> {
    const sections = new HomeSections(this.config.home.sectionDeadlineMs, meta.correlationId);
    const userId = meta.actor?.userId;
    const [me, categories, featured, recentOrders, unreadNotifications] = await Promise.all([
      userId ? sections.run('identity', () => this.identity.getUser({ userId }, meta), null, ['USER_NOT_FOUND']) : null,
      sections.run('catalog', async () => (await this.catalog.listCategories({}, meta)).items, []),
      sections.run(
        'catalog',
        async () => (await this.catalog.listProducts({ sort: 'newest', limit: HOME_FEATURED_LIMIT }, meta)).items,
        [],
      ),
      userId
        ? sections.run(
            'ordering',
            async () => (await this.ordering.listOrders({ userId, limit: HOME_RECENT_ORDERS_LIMIT }, meta)).items,
            [],
          )
        : [],
      userId
        ? sections.run(
            'notifications',
            async () => (await this.notifications.getUnreadCount({ userId }, meta)).unreadCount,
            0,
          )
        : 0,
    ]);
    return { me, categories, featured, recentOrders, unreadNotifications, degraded: sections.degraded() };
  }
}
