import type { Type } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ContractMessage } from '@ficus/contracts';
import { CONTRACT_PAYLOAD_METADATA, type ContractPayloadMetadata } from './contract-payload.js';

/** Calls one `@MessagePattern` handler with the contract's validation, and nothing Nest adds per call. */
export type DirectHandler = (message: ContractMessage<unknown>) => Promise<unknown>;

const IN_PROCESS_NO_OP = 'ficus:in-process-no-op';
// @nestjs/microservices' and @nestjs/common's metadata keys (their constants are not public exports).
const PATTERN_METADATA = 'microservices:pattern';
const PATTERN_HANDLER_METADATA = 'microservices:handler_type';
const MESSAGE_HANDLER = 1;
const ENHANCER_METADATA = ['__guards__', '__interceptors__', '__pipes__', '__exceptionFilters__'];
const GLOBAL_ENHANCER_TOKEN = /^APP_(GUARD|INTERCEPTOR|FILTER|PIPE) \(UUID/;

/**
 * Marks a global guard, interceptor or filter whose work for an in-process contract call is nothing, or
 * is done by the direct path itself: guards that only look at HTTP requests, the RPC logging interceptor
 * (it logs real transports only), the error filter (the direct path maps errors with the same function,
 * `contractErrorFor`). A global enhancer without it turns the direct path off for the whole process.
 */
export const NoOpForInProcessCalls = (): ClassDecorator => (target) => {
  Reflect.defineMetadata(IN_PROCESS_NO_OP, true, target);
};

/**
 * The in-process transport's direct path. Nest runs every message through its microservice pipeline:
 * an execution context, the global and handler guards, interceptors (an rxjs chain), pipes and exception
 * filters, for handlers whose only per-call work is the contract's payload validation. For a handler
 * where that is provably all there is, this calls the controller method directly after its
 * `ContractPayloadPipe`:
 *
 * - the handler's class and method have no guards, interceptors, pipes or filters of their own;
 * - its one parameter is the `@ContractPayload` (typed as the `ContractMessage` interface, so the app's
 *   global `ValidationPipe` has nothing to validate in it);
 * - its controller is a singleton (not request-scoped);
 * - every global guard, interceptor and filter is marked `@NoOpForInProcessCalls()`.
 *
 * Anything else keeps Nest's pipeline (`undefined` here). Errors are mapped by the caller with the
 * error filter's own function, so error bodies and logging are the same on both paths.
 */
export class DirectHandlers {
  private handlers?: Map<string, DirectHandler>;

  constructor(private readonly modules: ModulesContainer | undefined) {}

  get(pattern: string): DirectHandler | undefined {
    this.handlers ??= this.discover();
    return this.handlers.get(pattern);
  }

  private discover(): Map<string, DirectHandler> {
    const found = new Map<string, DirectHandler>();
    if (!this.modules || !this.globalEnhancersAreNoOps()) return found;
    const ambiguous = new Set<string>();
    for (const module of this.modules.values()) {
      for (const wrapper of module.controllers.values()) {
        const instance = wrapper.instance as Record<string, unknown> | undefined;
        if (!instance || !wrapper.isDependencyTreeStatic() || hasEnhancers(wrapper.metatype as Type)) continue;
        const prototype = Object.getPrototypeOf(instance) as object;
        for (const key of Object.getOwnPropertyNames(prototype)) {
          const handler = directHandlerFor(instance, prototype, key);
          if (!handler) continue;
          for (const pattern of handler.patterns) {
            if (found.has(pattern)) ambiguous.add(pattern);
            found.set(pattern, handler.call);
          }
        }
      }
    }
    for (const pattern of ambiguous) found.delete(pattern);
    return found;
  }

  private globalEnhancersAreNoOps(): boolean {
    for (const module of this.modules!.values()) {
      for (const [token, wrapper] of module.providers) {
        if (typeof token !== 'string' || !GLOBAL_ENHANCER_TOKEN.test(token)) continue;
        const type = (wrapper.instance as object | undefined)?.constructor ?? wrapper.metatype;
        if (!type || !Reflect.getMetadata(IN_PROCESS_NO_OP, type)) return false;
      }
    }
    return true;
  }
}

function hasEnhancers(target: object): boolean {
  return ENHANCER_METADATA.some((key) => {
    const value = Reflect.getMetadata(key, target) as unknown[] | undefined;
    return Array.isArray(value) && value.length > 0;
  });
}

function directHandlerFor(
  instance: Record<string, unknown>,
  prototype: object,
  key: string,
): { patterns: string[]; call: DirectHandler } | undefined {
  if (key === 'constructor') return undefined;
  const method = (prototype as Record<string, unknown>)[key];
  if (typeof method !== 'function') return undefined;
  if (Reflect.getMetadata(PATTERN_HANDLER_METADATA, method) !== MESSAGE_HANDLER) return undefined;
  const patterns = Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined;
  const payload = Reflect.getMetadata(CONTRACT_PAYLOAD_METADATA, prototype, key) as ContractPayloadMetadata | undefined;
  const paramTypes = (Reflect.getMetadata('design:paramtypes', prototype, key) as unknown[] | undefined) ?? [];
  if (!patterns?.every((p) => typeof p === 'string') || !payload || hasEnhancers(method)) return undefined;
  if (payload.index !== 0 || paramTypes.length !== 1 || paramTypes[0] !== Object) return undefined;
  const { pipe } = payload;
  const call: DirectHandler = async (message) => {
    const result: unknown = await (method as (m: unknown) => unknown).call(instance, await pipe.transform(message));
    return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
  };
  return { patterns: patterns as string[], call };
}
