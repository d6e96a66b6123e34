import { Body, Controller, Delete, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { type CallMeta, NOTIFICATIONS_API, type NotificationsApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { SignedInRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiWrite } from '../docs/api-success.decorator.js';
import { DeviceTokenParamsDto, RegisterDeviceRequestDto } from './notifications.request.dto.js';
import { DeviceResponseDto } from './notifications.response.dto.js';
import { ApiOperation, ApiTags } from '@ficus/platform';

/** The signed-in user's push devices, addressed by the provider's token. */
@ApiTags('notifications')
@SignedInRoute()
@Controller('devices')
export class DevicesHttpController {
  constructor(@Inject(NOTIFICATIONS_API) private readonly notifications: NotificationsApi) {}

  @Put(':token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register a push device',
    description:
      'Idempotent upsert for the current user. A token registered by another user moves to the current one ' +
      '(the phone changed hands). A token over 512 characters is refused by the router (414).',
  })
  @ApiWrite(200, { type: DeviceResponseDto, description: 'The device' })
  @ApiProblems(400, 413, 414, 415)
  register(@Param() { token }: DeviceTokenParamsDto, @Body() body: RegisterDeviceRequestDto, @Meta() meta: CallMeta) {
    return this.notifications.registerDevice({ userId: meta.actor!.userId, token, platform: body.platform }, meta);
  }

  @Delete(':token')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget a push device', description: "Own devices only; another user's is 404." })
  @ApiWrite(204, { description: 'Forgotten' })
  @ApiProblems(400, [404, 'DEVICE_NOT_FOUND'], 414)
  async remove(@Param() { token }: DeviceTokenParamsDto, @Meta() meta: CallMeta): Promise<void> {
    await this.notifications.removeDevice({ userId: meta.actor!.userId, token }, meta);
  }
}
