import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { type CallMeta, IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { ContractCallError, ApiOperation, ApiTags } from '@ficus/platform';
import { Meta } from '../auth/actor.decorator.js';
import { PublicRoute } from '../auth/route-access.decorator.js';
import { ApiProblems } from '../docs/api-errors.decorator.js';
import { ApiWrite } from '../docs/api-success.decorator.js';
import { EmailAttemptsLimiter } from '../rate-limit/email-attempts.limiter.js';
import { LoginRequestDto, RefreshRequestDto, RegisterRequestDto } from './identity.request.dto.js';
import { AuthSessionResponseDto } from './identity.response.dto.js';

@ApiTags('auth')
@PublicRoute()
@Controller('auth')
export class AuthHttpController {
  constructor(
    @Inject(IDENTITY_API) private readonly identity: IdentityApi,
    private readonly emailLimiter: EmailAttemptsLimiter,
  ) {}

  @Post('register')
  @ApiOperation({
    summary: 'Create a customer account and sign in',
    description: 'E-mails are case-insensitive. Limited per IP and per e-mail address (LOGIN_MAX_FAILURES_PER_EMAIL).',
  })
  @ApiWrite(201, { type: AuthSessionResponseDto, description: 'The new user with a fresh token pair' })
  @ApiProblems(400, [409, 'EMAIL_TAKEN'], 413, 415)
  async register(@Body() body: RegisterRequestDto, @Meta() meta: CallMeta) {
    await this.emailLimiter.assertAllowed('register', body.email);
    await this.emailLimiter.record('register', body.email);
    return this.identity.registerUser(body, meta);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with e-mail and password',
    description:
      'Unknown e-mail and wrong password get the same 401 INVALID_CREDENTIALS. After ' +
      'LOGIN_MAX_FAILURES_PER_EMAIL failures an e-mail address gets 429 until its window ends.',
  })
  @ApiWrite(200, { type: AuthSessionResponseDto, description: 'The user with a fresh token pair' })
  @ApiProblems(400, [401, 'INVALID_CREDENTIALS'], 413, 415)
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
  @ApiOperation({
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'The refresh token is spent. Presenting a spent one again revokes every token issued from the same ' +
      'sign-in (401 INVALID_REFRESH_TOKEN).',
  })
  @ApiWrite(200, { type: AuthSessionResponseDto, description: 'The user with a new token pair' })
  @ApiProblems(400, [401, 'INVALID_REFRESH_TOKEN'], 413, 415)
  refresh(@Body() body: RefreshRequestDto, @Meta() meta: CallMeta) {
    return this.identity.refreshSession(body, meta);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out',
    description: 'Revokes every token issued from the sign-in the refresh token belongs to. Needs no access token.',
  })
  @ApiWrite(204, { description: 'The sign-in the refresh token belongs to is revoked' })
  @ApiProblems(400, 413, 415)
  async logout(@Body() body: RefreshRequestDto, @Meta() meta: CallMeta): Promise<void> {
    await this.identity.logout(body, meta);
  }
}
