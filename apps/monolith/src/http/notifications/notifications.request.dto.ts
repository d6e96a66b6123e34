import { IsBoolean, IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DEVICE_PLATFORMS, type DevicePlatform, NotificationsLimits as L } from '@ficus/contracts';
import { KeysetPageQuery } from '../pagination.dto.js';
import { ApiProperty } from '@ficus/platform';

/** Provider push tokens are URL-safe text (FCM: letters, digits, `:`, `_`, `-`; APNs: hex). */
const DEVICE_TOKEN = /^[A-Za-z0-9_:.~-]+$/;

export class DeviceTokenParamsDto {
  @ApiProperty({ description: 'The push provider’s device token (FCM registration token, APNs token)' })
  @IsString()
  @MaxLength(L.deviceTokenMaxLength)
  @Matches(DEVICE_TOKEN, { message: 'token must be URL-safe text (letters, digits, : _ - . ~)' })
  token: string;
}

export class RegisterDeviceRequestDto {
  @ApiProperty({ enum: DEVICE_PLATFORMS, example: 'android' })
  @IsIn(DEVICE_PLATFORMS)
  platform: DevicePlatform;
}

/** `limit` and `cursor` (API.md "Pagination"). */
export class ListNotificationsQueryDto extends KeysetPageQuery(L) {}

export class NotificationIdParamsDto {
  @ApiProperty({ description: 'Notification id' })
  @IsUUID()
  id: string;
}

/** All three are required: PUT replaces the preferences. */
export class NotificationPreferencesRequestDto {
  @ApiProperty({ description: 'E-mails (welcome, order confirmed)' }) @IsBoolean() email: boolean;
  @ApiProperty({ description: 'Pushes to the registered devices' }) @IsBoolean() push: boolean;
  @ApiProperty({ description: 'Text messages' }) @IsBoolean() sms: boolean;
}
