import type { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { type CallMeta, type ContextName, type ContractMessage, isContractErrorBody } from '@ficus/contracts';
import { ContextUnavailableError, ContractCallError } from '../errors/domain-error.js';
import { type CircuitBreaker, CircuitOpenError } from '../resilience/circuit-breaker.js';
import { InProcessClient } from './in-process.client.js';
import { NoHandlerError } from './in-process.server.js';
import { isRetrySafe } from './retry-safety.js';

export interface ContextClientOptions {
  /** Deadline of every call, retries included. */
  timeoutMs: number;
  /** Set for remote contexts: fail fast while the context is down instead of waiting out every deadline. */
  breaker?: CircuitBreaker;
  /** Extra attempts after a transport failure, for queries and for commands with an idempotency key. */
  retries?: number;
}

const RETRY_DELAY_MS = 25;

/**
 * How the facade and other contexts call a context: `send(pattern, data, meta)` over whichever transport
 * hosts it. Every call has a deadline, carried in the packet so a server can drop work nobody waits for.
 * Typed failures come back as `ContractCallError`; a transport that fails, a deadline that passes or an
 * open breaker becomes `ContextUnavailableError` (503 + Retry-After at the facade). Queries, and commands
 * that carry an `idempotencyKey`, are retried within the deadline; other commands never are, because the
 * first attempt may have run.
 */
export class ContextClient {
  private readonly options: Required<Omit<ContextClientOptions, 'breaker'>> & Pick<ContextClientOptions, 'breaker'>;

  constructor(
    readonly context: ContextName,
    private readonly proxy: ClientProxy,
    options: ContextClientOptions | number,
  ) {
    const o = typeof options === 'number' ? { timeoutMs: options } : options;
    this.options = { retries: 2, ...o };
  }

  async send<TResult, TData = unknown>(pattern: string, data: TData, meta: CallMeta): Promise<TResult> {
    const deadline = Date.now() + this.options.timeoutMs;
    const retryable = isRetrySafe(pattern, data);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<TResult>(pattern, { meta: { ...meta, deadline }, data }, deadline);
      } catch (error) {
        const again =
          retryable &&
          error instanceof ContextUnavailableError &&
          !error.breakerOpen &&
          attempt < this.options.retries &&
          Date.now() + RETRY_DELAY_MS * 2 ** attempt < deadline;
        if (!again) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * 2 ** attempt));
      }
    }
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }

  private attempt<TResult>(pattern: string, packet: unknown, deadline: number): Promise<TResult> {
    const call = () => this.once<TResult>(pattern, packet, deadline);
    const { breaker } = this.options;
    if (!breaker) return call();
    return breaker
      .run(call, (error) => error instanceof ContextUnavailableError)
      .catch((error: unknown) => {
        if (error instanceof CircuitOpenError) {
          throw new ContextUnavailableError(this.context, 'circuit open', Math.ceil(error.retryAfterMs / 1000), true);
        }
        throw error;
      });
  }

  private async once<TResult>(pattern: string, packet: unknown, deadline: number): Promise<TResult> {
    try {
      const remaining = Math.max(1, deadline - Date.now());
      // In-process: a plain promise with a timer, not an observable chain per call (same outcome).
      if (this.proxy instanceof InProcessClient) {
        return (await withinDeadline(
          this.proxy.call(pattern, packet as ContractMessage<unknown>),
          remaining,
        )) as TResult;
      }
      return await lastValueFrom(this.proxy.send<TResult>(pattern, packet).pipe(timeout(remaining)), {
        defaultValue: undefined as TResult,
      });
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): Error {
    if (isContractErrorBody(error)) return new ContractCallError(error);
    if (error instanceof TimeoutError || error instanceof DeadlinePassed) {
      return new ContextUnavailableError(this.context, `no answer within ${this.options.timeoutMs} ms`);
    }
    if (error instanceof NoHandlerError) return new ContextUnavailableError(this.context, error.message);
    const message = error instanceof Error ? error.message : String(error);
    return new ContextUnavailableError(this.context, message);
  }
}

class DeadlinePassed extends Error {}

/** `promise`, or a rejection with `DeadlinePassed` after `ms` (its late answer is then ignored). */
function withinDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlinePassed()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}
