import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern } from '@nestjs/microservices';
import { type ContractMessage, NotificationsPatterns as P } from '@ficus/contracts';
import { ContractPayload } from '@ficus/platform';
import { GetPreferencesQuery } from '../application/get-preferences/get-preferences.query.js';
import { GetUnreadCountQuery } from '../application/get-unread-count/get-unread-count.query.js';
import { ListNotificationsQuery } from '../application/list-notifications/list-notifications.query.js';
import { MarkNotificationReadCommand } from '../application/mark-notification-read/mark-notification-read.command.js';
import { RegisterDeviceCommand } from '../application/register-device/register-device.command.js';
import { RemoveDeviceCommand } from '../application/remove-device/remove-device.command.js';
import { UpdatePreferencesCommand } from '../application/update-preferences/update-preferences.command.js';
import {
  ListNotificationsMessage,
  MarkNotificationReadMessage,
  RegisterDeviceMessage,
  RemoveDeviceMessage,
  UpdatePreferencesMessage,
  UserIdMessage,
} from './notifications.messages.js';

/**
 * Notifications' contract: each message pattern becomes one command or query. The caller (the facade)
 * passes the verified user id; notifications answers only about that user's devices, inbox and preferences.
 */
@Controller()
export class NotificationsMessageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(P.registerDevice)
  registerDevice(@ContractPayload(RegisterDeviceMessage) { data, meta }: ContractMessage<RegisterDeviceMessage>) {
    return this.commands.execute(new RegisterDeviceCommand(data, meta));
  }

  @MessagePattern(P.removeDevice)
  removeDevice(@ContractPayload(RemoveDeviceMessage) { data, meta }: ContractMessage<RemoveDeviceMessage>) {
    return this.commands.execute(new RemoveDeviceCommand(data, meta));
  }

  @MessagePattern(P.listNotifications)
  list(@ContractPayload(ListNotificationsMessage) { data, meta }: ContractMessage<ListNotificationsMessage>) {
    return this.queries.execute(new ListNotificationsQuery(data, meta));
  }

  @MessagePattern(P.markNotificationRead)
  markRead(@ContractPayload(MarkNotificationReadMessage) { data, meta }: ContractMessage<MarkNotificationReadMessage>) {
    return this.commands.execute(new MarkNotificationReadCommand(data, meta));
  }

  @MessagePattern(P.getUnreadCount)
  unreadCount(@ContractPayload(UserIdMessage) { data, meta }: ContractMessage<UserIdMessage>) {
    return this.queries.execute(new GetUnreadCountQuery(data, meta));
  }

  @MessagePattern(P.getPreferences)
  getPreferences(@ContractPayload(UserIdMessage) { data, meta }: ContractMessage<UserIdMessage>) {
    return this.queries.execute(new GetPreferencesQuery(data, meta));
  }

  @MessagePattern(P.updatePreferences)
  updatePreferences(
    @ContractPayload(UpdatePreferencesMessage) { data, meta }: ContractMessage<UpdatePreferencesMessage>,
  ) {
    return this.commands.execute(new UpdatePreferencesCommand(data, meta));
  }
}
