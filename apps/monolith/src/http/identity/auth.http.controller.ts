import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { type CallMeta, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { ContractCallError, Public } from '@ficus/platform';
import { Meta } from '../auth/actor.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { EmailAttemptsLimiter } from '../rate-limit/email-attempts.limiter.js';
import { LoginRequestDto, RefreshRequestDto, RegisterRequestDto } from './identity.request.dto.js';
import { AuthSessionResponseDto } from './identity.response.dto.js';

@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthHttpController {
  constructor(
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
    private readonly emailLimiter: EmailAttemptsLimiter,
  ) {}

  @Post('register')
  @ApiCreatedResponse({ type: AuthSessionResponseDto })
  @ApiProblems(400, 409, 413, 415, 429)
  async register(@Body() body: RegisterRequestDto, @Meta() meta: CallMeta) {
    await this.emailLimiter.assertAllowed('register', body.email);
    await this.emailLimiter.record('register', body.email);
    return this.identity.registerUser(body, meta);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: AuthSessionResponseDto })
  @ApiProblems(400, 401, 413, 415, 429)
  async login(@Body() body: LoginRequestDto, @Meta() meta: CallMeta) {
    await this.emailLimiter.assertAllowed('login', body.email);
    try {
      const session = await this.identity.login(body, meta);
      await this.emailLimiter.reset('login', body.email);
      return session;
    } catch (error) {
      if (error instanceof ContractCallError && error.code === 'INVALID_CREDENTIALS') {
        await this.emailLimiter.record('login', body.email);
      }
      throw error;
    }
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: AuthSessionResponseDto })
  @ApiProblems(400, 401, 429)
  refresh(@Body() body: RefreshRequestDto, @Meta() meta: CallMeta) {
    return this.identity.refreshSession(body, meta);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The sign-in the refresh token belongs to is revoked' })
  @ApiProblems(400, 429)
  async logout(@Body() body: RefreshRequestDto, @Meta() meta: CallMeta): Promise<void> {
    await this.identity.logout(body, meta);
  }
}
