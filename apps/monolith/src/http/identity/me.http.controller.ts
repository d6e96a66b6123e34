import { Body, Controller, Get, Inject, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type CallMeta, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { UpdateMeRequestDto } from './identity.request.dto.js';
import { UserResponseDto } from './identity.response.dto.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeHttpController {
  constructor(@Inject(IDENTITY_API) private readonly identity: IdentityApi) {}

  @Get()
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(401, 429)
  me(@Meta() meta: CallMeta) {
    return this.identity.getUser({ userId: meta.actor!.userId }, meta);
  }

  @Patch()
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblems(400, 401, 413, 415, 429)
  update(@Body() body: UpdateMeRequestDto, @Meta() meta: CallMeta) {
    return this.identity.updateProfile({ userId: meta.actor!.userId, ...body }, meta);
  }
}
