import type { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { type CallMeta, type ContextName, isContractErrorBody } from '@ficus/contracts';
import { ContextUnavailableError, ContractCallError } from '../errors/domain-error.js';
import { NoHandlerError } from './in-process.server.js';

/**
 * How the facade and other contexts call a context: `send(pattern, data, meta)` over whichever transport
 * hosts it. Every call has a deadline, carried in the packet so a server can drop work nobody waits
 * for. Typed failures come back as `ContractCallError`; a transport that fails or a deadline that passes
 * becomes `ContextUnavailableError` (503 at the facade).
 */
export class ContextClient {
  constructor(
    readonly context: ContextName,
    private readonly proxy: ClientProxy,
    private readonly timeoutMs: number,
  ) {}

  async send<TResult, TData = unknown>(pattern: string, data: TData, meta: CallMeta): Promise<TResult> {
    const deadline = Date.now() + this.timeoutMs;
    const packet = { meta: { ...meta, deadline }, data };
    try {
      return await lastValueFrom(this.proxy.send<TResult>(pattern, packet).pipe(timeout(this.timeoutMs)), {
        defaultValue: undefined as TResult,
      });
    } catch (error) {
      throw this.translate(error);
    }
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }

  private translate(error: unknown): Error {
    if (isContractErrorBody(error)) return new ContractCallError(error);
    if (error instanceof TimeoutError) {
      return new ContextUnavailableError(this.context, `no answer within ${this.timeoutMs} ms`);
    }
    if (error instanceof NoHandlerError) return new ContextUnavailableError(this.context, error.message);
    const message = error instanceof Error ? error.message : String(error);
    return new ContextUnavailableError(this.context, message);
  }
}
