import { Body, Controller, Get, Inject, Patch, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CallMeta, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { Meta } from '../auth/actor.decorator.js';
import { clientVersions, sendConditional } from '../conditional/conditional-get.js';
import { SignedInRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiRead, ApiWrite } from '../docs/api-success.decorator.js';
import { UpdateMeRequestDto } from './identity.request.dto.js';
import { UserResponseDto } from './identity.response.dto.js';
import { ApiOperation, ApiTags } from '@ficus/platform';

@ApiTags('me')
@SignedInRoute()
@Controller('me')
export class MeHttpController {
  constructor(@Inject(IDENTITY_API) private readonly identity: IdentityApi) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user', description: 'The profile of the caller of the access token.' })
  @ApiRead(UserResponseDto)
  @ApiProblems([404, 'USER_NOT_FOUND'])
  async me(@Meta() meta: CallMeta, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { versions, any } = clientVersions(request);
    const read = await this.identity.getUserConditional({ userId: meta.actor!.userId, ifNoneMatch: versions }, meta);
    sendConditional(reply, read, any);
  }

  @Patch()
  @ApiOperation({ summary: 'Edit the signed-in user', description: 'Changes the fields sent; absent ones stay.' })
  @ApiWrite(200, { type: UserResponseDto, description: 'The updated user' })
  @ApiProblems(400, [404, 'USER_NOT_FOUND'], 413, 415)
  update(@Body() body: UpdateMeRequestDto, @Meta() meta: CallMeta) {
    return this.identity.updateProfile({ userId: meta.actor!.userId, ...body }, meta);
  }
}
