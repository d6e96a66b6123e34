import { CategoryResponseDto, ProductResponseDto } from '../catalog/catalog.response.dto.js';
import { ApiInteger, ApiList } from '../docs/api-fields.decorator.js';
import { UserResponseDto } from '../identity/identity.response.dto.js';
import { OrderResponseDto } from '../ordering/orders.response.dto.js';
import { HOME_CONTEXTS, type HomeContext } from './home-sections.js';
import { ApiProperty } from '@ficus/platform';

/** How many products `featured` holds at most, and how many of the user's orders `recentOrders` shows. */
export const HOME_FEATURED_LIMIT = 10;
export const HOME_RECENT_ORDERS_LIMIT = 3;

export class HomeResponseDto {
  @ApiProperty({
    type: UserResponseDto,
    nullable: true,
    description: 'The signed-in user; null when anonymous, or when identity is degraded',
  })
  me: UserResponseDto | null;

  // Every category, as GET /v1/categories (an admin-curated list with no cap, hence no maxItems).
  @ApiProperty({ type: [CategoryResponseDto], description: 'All categories, by name; [] when catalog is degraded' })
  categories: CategoryResponseDto[];

  @ApiList(ProductResponseDto, HOME_FEATURED_LIMIT, {
    description: 'The newest products; [] when catalog is degraded',
  })
  featured: ProductResponseDto[];

  @ApiList(OrderResponseDto, HOME_RECENT_ORDERS_LIMIT, {
    description: 'The caller’s newest orders; [] when anonymous or when ordering is degraded',
  })
  recentOrders: OrderResponseDto[];

  @ApiInteger(0, 2_147_483_647, {
    description: 'Unread inbox items; 0 when anonymous or when notifications is degraded',
  })
  unreadNotifications: number;

  @ApiProperty({
    enum: HOME_CONTEXTS,
    isArray: true,
    maxItems: HOME_CONTEXTS.length,
    uniqueItems: true,
    example: [],
    description: 'Contexts that were slow (past HOME_SECTION_DEADLINE_MS) or down: their sections are empty',
  })
  degraded: HomeContext[];
}
