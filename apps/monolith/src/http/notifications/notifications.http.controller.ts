import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { type CallMeta, NOTIFICATIONS_API, type NotificationsApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { SignedInRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiRead, ApiWrite } from '../docs/api-success.decorator.js';
import { ListNotificationsQueryDto, NotificationIdParamsDto } from './notifications.request.dto.js';
import { NotificationPageResponseDto } from './notifications.response.dto.js';
import { ApiOperation, ApiTags } from '@ficus/platform';

/** The signed-in user's in-app inbox, written by notifications from other contexts' events. */
@ApiTags('notifications')
@SignedInRoute()
@Controller('notifications')
export class NotificationsHttpController {
  constructor(@Inject(NOTIFICATIONS_API) private readonly notifications: NotificationsApi) {}

  @Get()
  @ApiOperation({
    summary: 'My notifications',
    description: 'Own inbox, newest first, pages linked by nextCursor, with the unread count of the whole inbox.',
  })
  @ApiRead(NotificationPageResponseDto)
  @ApiProblems([400, 'INVALID_CURSOR'])
  list(@Query() query: ListNotificationsQueryDto, @Meta() meta: CallMeta) {
    return this.notifications.listNotifications({ userId: meta.actor!.userId, ...query }, meta);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Mark a notification read',
    description: "Idempotent (the first read time is kept). Another user's notification is 404, as an unknown one.",
  })
  @ApiWrite(204, { description: 'Read' })
  @ApiProblems(400, [404, 'NOTIFICATION_NOT_FOUND'])
  async markRead(@Param() { id }: NotificationIdParamsDto, @Meta() meta: CallMeta): Promise<void> {
    await this.notifications.markNotificationRead({ userId: meta.actor!.userId, notificationId: id }, meta);
  }
}
