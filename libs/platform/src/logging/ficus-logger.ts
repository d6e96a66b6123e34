import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { type DestinationStream, type Level, type LevelWithSilent, type Logger as Pino, pino } from 'pino';
import { currentCorrelationId } from './request-context.js';

const QUIET_ROUTES = /^\/(health|metrics)(\/|$|\?)/;

/** Secrets never reach a log line, whoever logs them. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
];

/** The process's one pino instance: JSON lines with `level` as a label, `msg`, `service` and redaction. */
export function createPino(level: LevelWithSilent, destination?: DestinationStream): Pino {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'ficus' },
    messageKey: 'msg',
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Nest's logger (every `new Logger(ctx)` in Ficus) written as pino JSON lines, each carrying the
 * `correlationId` of the request or contract call being served (`request-context.ts`) and Nest's logger
 * name under `context`. Same line shapes as nestjs-pino's `Logger`, which it replaces.
 */
export class FicusLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const correlationId = currentCorrelationId();
    if (correlationId !== undefined) fields.correlationId = correlationId;
    // Nest passes the logger's name last.
    let rest = params;
    if (params.length) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    const log = this.pino[level].bind(this.pino) as (obj: object, msg?: unknown, ...args: unknown[]) => void;
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      log(fields, ...rest);
    } else if (isStackAsSecondArgument(level, message, rest)) {
      // Nest's own exception handlers call error(message, stack).
      const err = new Error(message as string);
      err.stack = rest[0] as string;
      fields.err = err;
      log(fields);
    } else {
      log(fields, message, ...rest);
    }
  }
}

function isStackAsSecondArgument(level: Level, message: unknown, rest: unknown[]): boolean {
  return (
    level === 'error' &&
    typeof message === 'string' &&
    rest.length === 1 &&
    typeof rest[0] === 'string' &&
    /\n\s*at /.test(rest[0])
  );
}

/**
 * One line per answered request at `info` (`request completed`, or `request errored` at `error` for a
 * 5xx), with method, URL, status and time; probes and `/metrics` are skipped. Below `info` no hook is added
 * at all: building a line nobody writes cost ~10–20 µs a request.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: FicusLogger): void {
  if (!logger.pino.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!QUIET_ROUTES.test(request.url)) {
      const statusCode = reply.statusCode;
      const line = {
        correlationId: request.id,
        req: { method: request.method, url: request.url },
        res: { statusCode },
        responseTime: Math.round(reply.elapsedTime),
      };
      if (statusCode >= 500) logger.pino.error(line, 'request errored');
      else logger.pino.info(line, 'request completed');
    }
    done();
  });
}
