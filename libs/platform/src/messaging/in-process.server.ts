import { Injectable } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { type ContractMessage, type IntegrationEvent, isContractErrorBody } from '@ficus/contracts';
import { toContractErrorBody } from '../errors/error-body.js';
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
 * directly instead of over a socket. Payloads, results and errors are JSON round-tripped.
 */
@Injectable()
export class InProcessServer extends Server implements CustomTransportStrategy {
  override readonly transportId = IN_PROCESS_TRANSPORT;

  private listening = false;
  private readonly onListening: (() => void)[] = [];

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

  /** Request/response: runs the handler and resolves with its (serialized) result, or rejects with an error body. */
  async request(pattern: string, message: ContractMessage<unknown>): Promise<unknown> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler || handler.isEventHandler) throw new NoHandlerError(pattern);
    try {
      const result$ = this.transformToObservable(await handler(overTheWire(message)));
      return overTheWireUnlessShared(await lastValueFrom(result$, { defaultValue: undefined }));
    } catch (error) {
      throw overTheWire(isContractErrorBody(error) ? error : toContractErrorBody(error));
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
    const result$ = this.transformToObservable(await handler(overTheWire(event)));
    await lastValueFrom(result$, { defaultValue: undefined });
  }

  private findEventHandler(name: string, consumer: string): MessageHandler | undefined {
    for (let h = this.messageHandlers.get(name); h; h = h.next) {
      if (h.isEventHandler && h.extras?.consumer === consumer) return h;
    }
    return undefined;
  }
}
