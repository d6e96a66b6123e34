import { Global, Module } from '@nestjs/common';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { createPino, FicusLogger } from './ficus-logger.js';

/**
 * Structured JSON logs (pino), one event per line. Every line logged while serving a request or an
 * in-process contract call carries its `correlationId` (`request-context.ts`); secrets are redacted
 * (`ficus-logger.ts`). HTTP hosts install it with `useFicusLogger` (`configure-http-app.ts`).
 */
@Global()
@Module({
  providers: [
    {
      provide: FicusLogger,
      inject: [ficusConfig.KEY],
      useFactory: (config: FicusConfig) => new FicusLogger(createPino(config.logLevel)),
    },
  ],
  exports: [FicusLogger],
})
export class LoggingModule {}
