import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern } from '@nestjs/microservices';
import { type ContractMessage, IdentityPatterns } from '@ficus/contracts';
import { ContractPayload } from '@ficus/platform';
import { GetUserConditionalQuery } from '../application/get-user-conditional/get-user-conditional.query.js';
import { GetUserQuery } from '../application/get-user/get-user.query.js';
import { GrantAdminCommand } from '../application/grant-admin/grant-admin.command.js';
import { LoginCommand } from '../application/login/login.command.js';
import { LogoutCommand } from '../application/logout/logout.command.js';
import { RefreshSessionCommand } from '../application/refresh-session/refresh-session.command.js';
import { RegisterUserCommand } from '../application/register-user/register-user.command.js';
import { UpdateProfileCommand } from '../application/update-profile/update-profile.command.js';
import {
  GetUserConditionalMessage,
  GetUserMessage,
  GrantAdminMessage,
  LoginMessage,
  RefreshTokenMessage,
  RegisterUserMessage,
  UpdateProfileMessage,
} from './identity.messages.js';

/** Identity's contract: each message pattern becomes one command or query. Nothing else is public. */
@Controller()
export class IdentityMessageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(IdentityPatterns.registerUser)
  register(@ContractPayload(RegisterUserMessage) { data, meta }: ContractMessage<RegisterUserMessage>) {
    return this.commands.execute(new RegisterUserCommand(data, meta));
  }

  @MessagePattern(IdentityPatterns.login)
  login(@ContractPayload(LoginMessage) { data, meta }: ContractMessage<LoginMessage>) {
    return this.commands.execute(new LoginCommand(data, meta));
  }

  @MessagePattern(IdentityPatterns.refreshSession)
  refresh(@ContractPayload(RefreshTokenMessage) { data, meta }: ContractMessage<RefreshTokenMessage>) {
    return this.commands.execute(new RefreshSessionCommand(data, meta));
  }

  @MessagePattern(IdentityPatterns.logout)
  async logout(@ContractPayload(RefreshTokenMessage) { data, meta }: ContractMessage<RefreshTokenMessage>) {
    await this.commands.execute(new LogoutCommand(data, meta));
    return null;
  }

  @MessagePattern(IdentityPatterns.getUser)
  getUser(@ContractPayload(GetUserMessage) { data, meta }: ContractMessage<GetUserMessage>) {
    return this.queries.execute(new GetUserQuery(data, meta));
  }

  @MessagePattern(IdentityPatterns.getUserConditional)
  getUserConditional(
    @ContractPayload(GetUserConditionalMessage) { data, meta }: ContractMessage<GetUserConditionalMessage>,
  ) {
    return this.queries.execute(new GetUserConditionalQuery(data, meta));
  }

  @MessagePattern(IdentityPatterns.updateProfile)
  updateProfile(@ContractPayload(UpdateProfileMessage) { data, meta }: ContractMessage<UpdateProfileMessage>) {
    return this.commands.execute(new UpdateProfileCommand(data, meta));
  }

  @MessagePattern(IdentityPatterns.grantAdmin)
  grantAdmin(@ContractPayload(GrantAdminMessage) { data, meta }: ContractMessage<GrantAdminMessage>) {
    return this.commands.execute(new GrantAdminCommand(data, meta));
  }
}
