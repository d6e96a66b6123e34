import { isQueryPattern } from '@ficus/contracts';

/**
 * Whether a command's data carries an `idempotencyKey`: the caller's promise that the command, run twice
 * with the same key, has the effect of running once (the context dedupes by that key).
 */
export function hasIdempotencyKey(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { idempotencyKey?: unknown }).idempotencyKey === 'string'
  );
}

/**
 * Whether a call may run again after a transport failure: queries (no effect) and commands with an
 * idempotency key. `ContextClient` retries only these, and the Redis transport re-delivers only these
 * when the replica that took them dies; any other command may have run, so it is never run twice.
 */
export function isRetrySafe(pattern: string, data: unknown): boolean {
  return isQueryPattern(pattern) || hasIdempotencyKey(data);
}
