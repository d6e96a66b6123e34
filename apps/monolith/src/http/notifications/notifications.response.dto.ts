import {
  DEVICE_PLATFORMS,
  type DevicePlatform,
  type DeviceView,
  NOTIFICATION_TYPES,
  type NotificationPage,
  type NotificationPreferencesView,
  type NotificationType,
  type NotificationView,
  NotificationsLimits as L,
} from '@ficus/contracts';
import { ApiInteger, ApiList, ApiText, ApiTimestamp, ApiUuid } from '../docs/api-fields.decorator.js';
import { ApiProperty } from '@ficus/platform';

export class DeviceResponseDto implements DeviceView {
  @ApiUuid({ description: 'Stays the same while the same user re-registers the token' }) id: string;
  @ApiProperty({ enum: DEVICE_PLATFORMS }) platform: DevicePlatform;
  @ApiText(L.deviceTokenMaxLength, { minLength: 1 }) token: string;
  @ApiTimestamp() createdAt: string;
}

export class NotificationResponseDto implements NotificationView {
  @ApiUuid() id: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type: NotificationType;
  @ApiText(200, { example: 'Order confirmed' }) title: string;
  @ApiText(1000, { example: 'Your order …1a2b3c4d of 45.99 EUR is confirmed.' }) body: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 100 },
    maxProperties: 10,
    example: { orderId: '01937a3c-5b7e-7cc0-8f3a-1a2b3c4d5e6f' },
    description: 'Ids the app needs to open the subject',
  })
  data: Record<string, string>;
  @ApiTimestamp({ nullable: true, description: 'When it was read; null while unread' }) readAt: string | null;
  @ApiTimestamp() createdAt: string;
}

export class NotificationPageResponseDto implements NotificationPage {
  @ApiList(NotificationResponseDto, L.maxPageSize, { description: 'Newest first' }) items: NotificationResponseDto[];
  @ApiText(L.cursorMaxLength, { nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  nextCursor: string | null;
  @ApiInteger(0, 2 ** 31 - 1, { description: 'Unread items in the whole inbox' }) unreadCount: number;
}

export class NotificationPreferencesResponseDto implements NotificationPreferencesView {
  @ApiProperty() email: boolean;
  @ApiProperty() push: boolean;
  @ApiProperty() sms: boolean;
}
