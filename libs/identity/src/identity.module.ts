/**
 * Identity owns users, credentials, refresh-token families and roles. It issues access tokens; the
 * facade verifies them. Public surface: this module and the patterns/events in @ficus/contracts.
 */
import { Module, type Provider } from '@nestjs/common';
import { ContextDataModule } from '@ficus/platform';
import { IdentityReadModels } from './infrastructure/cache/identity-read-models.js';
import { IdentityMessageController } from './api/identity.message.controller.js';
import { GetUserConditionalHandler } from './application/get-user-conditional/get-user-conditional.handler.js';
import { GetUserHandler } from './application/get-user/get-user.handler.js';
import { GrantAdminHandler } from './application/grant-admin/grant-admin.handler.js';
import { LoginHandler } from './application/login/login.handler.js';
import { LogoutHandler } from './application/logout/logout.handler.js';
import { RefreshSessionHandler } from './application/refresh-session/refresh-session.handler.js';
import { RegisterUserHandler } from './application/register-user/register-user.handler.js';
import { SessionIssuer } from './application/session-issuer.js';
import { UpdateProfileHandler } from './application/update-profile/update-profile.handler.js';
import {
  ACCESS_TOKEN_ISSUER,
  PASSWORD_HASHER,
  SESSION_REPOSITORY,
  TRANSACTION_RUNNER,
  USER_REPOSITORY,
} from './identity.di-tokens.js';
import { CreateIdentityTables1732000000000 } from './infrastructure/persistence/migrations/1732000000000-create-identity-tables.js';
import { RefreshTokenOrmEntity, TokenFamilyOrmEntity } from './infrastructure/persistence/session.orm-entities.js';
import { TypeOrmSessionRepository } from './infrastructure/persistence/session.repository.js';
import { TypeOrmTransactionRunner } from './infrastructure/persistence/typeorm-transaction.runner.js';
import { UserOrmEntity } from './infrastructure/persistence/user.orm-entity.js';
import { TypeOrmUserRepository } from './infrastructure/persistence/user.repository.js';
import { Argon2PasswordHasher } from './infrastructure/security/argon2.password-hasher.js';
import { JoseAccessTokenIssuer } from './infrastructure/security/jose.access-token-issuer.js';

const handlers: Provider[] = [
  RegisterUserHandler,
  LoginHandler,
  RefreshSessionHandler,
  LogoutHandler,
  GetUserHandler,
  GetUserConditionalHandler,
  UpdateProfileHandler,
  GrantAdminHandler,
];

const adapters: Provider[] = [
  { provide: USER_REPOSITORY, useClass: TypeOrmUserRepository },
  { provide: SESSION_REPOSITORY, useClass: TypeOrmSessionRepository },
  { provide: TRANSACTION_RUNNER, useClass: TypeOrmTransactionRunner },
  { provide: PASSWORD_HASHER, useClass: Argon2PasswordHasher },
  { provide: ACCESS_TOKEN_ISSUER, useClass: JoseAccessTokenIssuer },
  IdentityReadModels,
];

@Module({
  imports: [
    ContextDataModule.forContext({
      context: 'identity',
      entities: [UserOrmEntity, TokenFamilyOrmEntity, RefreshTokenOrmEntity],
      migrations: [CreateIdentityTables1732000000000],
    }),
  ],
  controllers: [IdentityMessageController],
  providers: [...handlers, ...adapters, SessionIssuer],
})
export class IdentityModule {}
