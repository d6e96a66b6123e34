import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { type CallMeta, NOTIFICATIONS_API, type NotificationsApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { SignedInRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiRead, ApiWrite } from '../docs/api-success.decorator.js';
import { NotificationPreferencesRequestDto } from './notifications.request.dto.js';
import { NotificationPreferencesResponseDto } from './notifications.response.dto.js';
import { ApiOperation, ApiTags } from '@ficus/platform';

/** Which channels the signed-in user accepts; the in-app inbox is written whatever they say. */
@ApiTags('notifications')
@SignedInRoute()
@Controller('me/notification-preferences')
export class NotificationPreferencesHttpController {
  constructor(@Inject(NOTIFICATIONS_API) private readonly notifications: NotificationsApi) {}

  @Get()
  @ApiOperation({ summary: 'My notification preferences', description: 'All channels are on until changed.' })
  @ApiRead(NotificationPreferencesResponseDto)
  @ApiProblems()
  get(@Meta() meta: CallMeta) {
    return this.notifications.getPreferences({ userId: meta.actor!.userId }, meta);
  }

  @Put()
  @ApiOperation({
    summary: 'Replace my notification preferences',
    description: 'All three booleans are required; a missing one, or a string such as "true", is 400.',
  })
  @ApiWrite(200, { type: NotificationPreferencesResponseDto, description: 'The stored preferences' })
  @ApiProblems(400, 413, 415)
  put(@Body() body: NotificationPreferencesRequestDto, @Meta() meta: CallMeta) {
    const { email, push, sms } = body;
    return this.notifications.updatePreferences({ userId: meta.actor!.userId, email, push, sms }, meta);
  }
}
