import { Injectable, Logger, Optional } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { type ContractMessage, type IntegrationEvent, isContractErrorBody } from '@ficus/contracts';
import { contractErrorFor } from '../errors/contract-error-for.js';
import { toContractErrorBody } from '../errors/error-body.js';
import { withCorrelationId } from '../logging/request-context.js';
import { type DirectHandler, DirectHandlers } from './in-process.direct.js';
import { overTheWire, overTheWireUnlessShared } from './json-wire.js';

/** Transport id of the in-process transport. */
export const IN_PROCESS_TRANSPORT = Symbol('ficus.in-process');

/** Thrown to the caller when nobody in this process answers a pattern: the same as a missing server. */
export class NoHandlerError extends Error {
  constructor(readonly pattern: string) {
    super(`No handler for ${pattern} in this process`);
    this.name = 'NoHandlerError';
  }
}

/**
 * The in-process transport: a Nest `Server` that receives every `@MessagePattern` and `@EventPattern`
 * handler through Nest's own pipeline (pipes, guards, interceptors, RPC exception filters), and is called
 * directly instead of over a socket. Payloads, results and errors are JSON round-tripped as over a wire.
 *
 * Contract calls whose handler needs nothing from Nest's pipeline but the contract's payload validation
 * take a direct path (`in-process.direct.ts`): the handler's `ContractPayloadPipe`, then the method, with
 * errors mapped by the error filter's own function. The request is still copied on that path, in
 * production too: the copy is ~2 µs, and without it a value outside JSON (a `Date`, `NaN`, a class
 * instance) would reach the handler's validation as is in production while tests saw its JSON form — a
 * difference no test would catch. Every call runs with its `meta.correlationId` bound for logging,
 * inside a request or not.
 */
@Injectable()
export class InProcessServer extends Server implements CustomTransportStrategy {
  override readonly transportId = IN_PROCESS_TRANSPORT;

  private listening = false;
  private readonly onListening: (() => void)[] = [];
  private readonly direct: DirectHandlers;
  private readonly errors = new Logger('Errors');

  constructor(@Optional() modules?: ModulesContainer) {
    super();
    this.direct = new DirectHandlers(process.env.FICUS_IN_PROCESS_DIRECT === 'false' ? undefined : modules);
  }

  listen(callback: () => void): void {
    // Nest registers every handler before calling listen, so consumers are known from here on.
    this.listening = true;
    this.onListening.splice(0).forEach((fn) => fn());
    callback();
  }

  /** Runs `fn` once all handlers are registered. */
  whenListening(fn: () => void): void {
    if (this.listening) fn();
    else this.onListening.push(fn);
  }

  /** The contexts that have at least one integration-event handler in this process. */
  consumers(): string[] {
    const found = new Set<string>();
    for (const first of this.messageHandlers.values()) {
      for (let h: MessageHandler | undefined = first; h; h = h.next) {
        if (h.isEventHandler && typeof h.extras?.consumer === 'string') found.add(h.extras.consumer);
      }
    }
    return [...found].sort();
  }

  close(): void {}

  on(): never {
    throw new Error('The in-process transport has no events');
  }

  unwrap<T>(): T {
    throw new Error('The in-process transport has no underlying client');
  }

  hasPattern(pattern: string): boolean {
    return this.messageHandlers.has(pattern);
  }

  /** Whether calls to `pattern` take the direct path (diagnostics and tests). */
  takesDirectPath(pattern: string): boolean {
    return this.direct.get(pattern) !== undefined;
  }

  /** Request/response: runs the handler and resolves with its (serialized) result, or rejects with an error body. */
  async request(pattern: string, message: ContractMessage<unknown>): Promise<unknown> {
    // Not `getHandlerByPattern`: it first tries `JSON.parse` on the pattern, and for a contract's plain
    // string pattern that throws and catches a SyntaxError on every call (~20 µs, 9 % of a cached read).
    const handler = this.messageHandlers.get(pattern) ?? this.getHandlerByPattern(pattern);
    if (!handler || handler.isEventHandler) throw new NoHandlerError(pattern);
    const direct = this.direct.get(pattern);
    const correlationId = message?.meta?.correlationId;
    const run = direct ? () => this.requestDirect(direct, message) : () => this.requestThroughNest(handler, message);
    return typeof correlationId === 'string' ? withCorrelationId(correlationId, run) : run();
  }

  private async requestThroughNest(handler: MessageHandler, message: ContractMessage<unknown>): Promise<unknown> {
    try {
      const result$ = this.transformToObservable(await handler(overTheWire(message)));
      return overTheWireUnlessShared(await lastValueFrom(result$, { defaultValue: undefined }));
    } catch (error) {
      throw overTheWire(isContractErrorBody(error) ? error : toContractErrorBody(error));
    }
  }

  private async requestDirect(handler: DirectHandler, message: ContractMessage<unknown>): Promise<unknown> {
    const input = overTheWire(message);
    try {
      return overTheWireUnlessShared(await handler(input));
    } catch (error) {
      throw overTheWire(contractErrorFor(error, input, this.errors));
    }
  }

  /** Whether `consumer` has an `@EventPattern(name, { consumer })` handler in this process. */
  hasEventHandler(name: string, consumer: string): boolean {
    return this.findEventHandler(name, consumer) !== undefined;
  }

  /**
   * Delivers an integration event to one consumer's handler. Several contexts may handle the same event
   * name; Nest chains them with `next`, and the `consumer` extra tells them apart.
   */
  async deliver(event: IntegrationEvent, consumer: string): Promise<void> {
    const handler = this.findEventHandler(event.name, consumer);
    if (!handler) throw new NoHandlerError(`${event.name} for ${consumer}`);
    const run = async () => {
      const result$ = this.transformToObservable(await handler(overTheWire(event)));
      await lastValueFrom(result$, { defaultValue: undefined });
    };
    // What the handler logs carries the correlation id of the request that caused the event.
    return typeof event.correlationId === 'string' ? withCorrelationId(event.correlationId, run) : run();
  }

  private findEventHandler(name: string, consumer: string): MessageHandler | undefined {
    for (let h = this.messageHandlers.get(name); h; h = h.next) {
      if (h.isEventHandler && h.extras?.consumer === consumer) return h;
    }
    return undefined;
  }
}
