import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import type { FicusRawRequest } from '../http/correlation.js';

const QUIET_ROUTES = /^\/(health|metrics)(\/|$|\?)/;
const LEVELS_WITH_INFO = new Set(['info', 'debug', 'trace']);

/**
 * Structured JSON logs (pino), one event per line. The request's correlation id (Fastify assigns it from
 * `X-Request-Id`, see `createFastifyAdapter`) is bound to every line logged while serving the request,
 * under `correlationId`. Secrets never reach a log line: auth headers, cookies and password fields are
 * redacted.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ficusConfig.KEY],
      useFactory: (config: FicusConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req) => (req as FicusRawRequest).id,
          customAttributeKeys: { reqId: 'correlationId' },
          // Binds `correlationId` to the request's logger, so every line logged while serving it carries it.
          quietReqLogger: true,
          // The request-completed line is logged at info: below that level pino-http would still hook every
          // response to build a line nobody writes (measured ~10–20 µs a request), so it is off.
          autoLogging: LEVELS_WITH_INFO.has(config.logLevel)
            ? { ignore: (req) => QUIET_ROUTES.test(req.url ?? '') }
            : false,
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
              '*.password',
              '*.refreshToken',
              '*.accessToken',
            ],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          base: { service: 'ficus' },
          messageKey: 'msg',
          formatters: { level: (label: string) => ({ level: label }) },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
