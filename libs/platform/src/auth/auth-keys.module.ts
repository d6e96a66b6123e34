import { Global, Module } from '@nestjs/common';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { type JwtKeys, loadJwtKeys } from './jwt-keys.js';

/** Injection token of the process's `JwtKeys`. */
export const JWT_KEYS = Symbol.for('ficus.jwt-keys');

@Global()
@Module({
  providers: [
    { provide: JWT_KEYS, inject: [ficusConfig.KEY], useFactory: (config: FicusConfig) => loadJwtKeys(config) },
    {
      provide: AccessTokenVerifier,
      inject: [JWT_KEYS, ficusConfig.KEY],
      useFactory: (keys: JwtKeys, config: FicusConfig) => new AccessTokenVerifier(keys, config.auth),
    },
  ],
  exports: [JWT_KEYS, AccessTokenVerifier],
})
export class AuthKeysModule {}
