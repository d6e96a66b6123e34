import type { Logger } from '@nestjs/common';
import type { ContractErrorBody } from '@ficus/contracts';
import { describeForOperators, isExpectedError, toContractErrorBody } from './error-body.js';

/**
 * What a contract call or event handler answers for an error, over any transport (this filter's RPC half,
 * and the in-process transport's direct path, `in-process.server.ts`): the contract error body; unknown
 * errors are logged with their stack and answered without it.
 */
export function contractErrorFor(exception: unknown, data: unknown, logger: Logger): ContractErrorBody {
  const body = toContractErrorBody(exception);
  if (isExpectedError(exception)) return body;
  logUnexpected(logger, exception, correlationOf(data));
  // An event handler has no caller to protect from internals: its failure is recorded on the delivery
  // (`last_error`, `outbox:parked`), where the generic text would explain nothing.
  const detail = isIntegrationEvent(data) ? describeForOperators(exception) : body.detail;
  return { ...body, detail };
}

export function logUnexpected(logger: Logger, exception: unknown, correlationId: string | undefined) {
  logger.error(
    { event: 'error.unexpected', correlationId, err: exception },
    exception instanceof Error ? exception.message : 'non-error thrown',
  );
}

/** What an `@EventPattern` handler receives: an integration event (contract messages are `{ meta, data }`). */
function isIntegrationEvent(data: unknown): boolean {
  const d = data as { id?: unknown; name?: unknown; payload?: unknown; meta?: unknown } | undefined;
  return typeof d?.id === 'string' && typeof d.name === 'string' && 'payload' in d && d.meta === undefined;
}

/** A contract message carries `meta.correlationId`; an integration event carries `correlationId`. */
function correlationOf(data: unknown): string | undefined {
  const d = data as { meta?: { correlationId?: unknown }; correlationId?: unknown } | undefined;
  const id = d?.meta?.correlationId ?? d?.correlationId;
  return typeof id === 'string' ? id : undefined;
}
