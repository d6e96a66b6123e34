import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { DEVICE_PLATFORMS, type DevicePlatform, NotificationsLimits as L } from '@ficus/contracts';

/** Query strings are text: whole numbers are converted, anything else stays text and fails `IsInt` (400). */
const QueryInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value));

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

export class ListNotificationsQueryDto {
  @ApiPropertyOptional({ default: L.defaultPageSize, description: 'Page size' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(L.maxPageSize)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(L.cursorMaxLength)
  cursor?: string;
}

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
