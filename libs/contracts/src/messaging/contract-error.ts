/** How a failed call is classified; the facade maps each kind to one HTTP status, in both modes. */
export type ErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable' | 'internal';

/** A typed failure as it crosses a transport: plain JSON, no stack, no internals. */
export interface ContractErrorBody {
  /** Stable UPPER_SNAKE code, e.g. `EMAIL_TAKEN`. */
  code: string;
  /** HTTP status the facade answers with. */
  status: number;
  /** Human-readable explanation, safe to show to a client. */
  detail: string;
  /** Classification of the failure. */
  kind: ErrorKind;
  /** Per-field validation messages, when `code` is `VALIDATION_FAILED`. */
  errors?: { field: string; message: string }[];
  /** Seconds after which a retry may succeed, for `unavailable` and `rate_limited` failures (HTTP `Retry-After`). */
  retryAfterSeconds?: number;
}

export function isContractErrorBody(value: unknown): value is ContractErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.status === 'number' && typeof v.detail === 'string';
}
