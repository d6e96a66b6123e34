import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  DEVICE_PLATFORMS,
  type DevicePlatform,
  type GetPreferencesRequest,
  type GetUnreadCountRequest,
  type ListNotificationsRequest,
  type MarkNotificationReadRequest,
  NotificationsLimits as L,
  type RegisterDeviceRequest,
  type RemoveDeviceRequest,
  type UpdatePreferencesRequest,
} from '@ficus/contracts';

// Notifications checks each contract payload again at its own edge (any process may call it once it is
// extracted): shape checks with an upper bound on every string and number.

/** Provider push tokens are URL-safe text (FCM: letters, digits, `:`, `_`, `-`; APNs: hex). */
export const DEVICE_TOKEN_PATTERN = /^[A-Za-z0-9_:.~-]+$/;

export class RegisterDeviceMessage implements RegisterDeviceRequest {
  @IsUUID() userId: string;
  @IsString() @MinLength(1) @MaxLength(L.deviceTokenMaxLength) @Matches(DEVICE_TOKEN_PATTERN) token: string;
  @IsIn(DEVICE_PLATFORMS) platform: DevicePlatform;
}

export class RemoveDeviceMessage implements RemoveDeviceRequest {
  @IsUUID() userId: string;
  @IsString() @MinLength(1) @MaxLength(L.deviceTokenMaxLength) token: string;
}

export class ListNotificationsMessage implements ListNotificationsRequest {
  @IsUUID() userId: string;
  @IsOptional() @IsInt() @Min(1) @Max(L.maxPageSize) limit?: number;
  @IsOptional() @IsString() @MaxLength(L.cursorMaxLength) cursor?: string;
}

export class MarkNotificationReadMessage implements MarkNotificationReadRequest {
  @IsUUID() userId: string;
  @IsUUID() notificationId: string;
}

export class UserIdMessage implements GetUnreadCountRequest, GetPreferencesRequest {
  @IsUUID() userId: string;
}

export class UpdatePreferencesMessage implements UpdatePreferencesRequest {
  @IsUUID() userId: string;
  @IsBoolean() email: boolean;
  @IsBoolean() push: boolean;
  @IsBoolean() sms: boolean;
}
