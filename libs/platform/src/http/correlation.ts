import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Actor, CallMeta } from '@ficus/contracts';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** A client's `X-Request-Id` is kept when it is short and plain (it ends up in logs); otherwise a new one. */
export function resolveRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** A W3C `traceparent` is propagated only when well-formed. */
export function validTraceparent(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value && TRACEPARENT.test(value.toLowerCase()) ? value.toLowerCase() : undefined;
}

/** What the facade attaches to the raw request: the correlation id and, once verified, the caller. */
export interface FicusRawRequest extends IncomingMessage {
  id: string;
  actor?: Actor | null;
}

export interface HasRaw {
  raw: IncomingMessage;
  headers: IncomingMessage['headers'];
}

/** The explicit call context every contract call carries (`STYLE.md`: context first). */
export function callMetaFrom(request: HasRaw): CallMeta {
  const raw = request.raw as FicusRawRequest;
  return {
    correlationId: raw.id,
    actor: raw.actor ?? null,
    traceparent: validTraceparent(request.headers.traceparent),
  };
}
