import type { CallMeta } from '@ficus/contracts';
import type { ContextClient } from './context-client.js';

/** The shape of every method of a context API: request data plus call metadata, answered async. */
export type ApiMethod = (data: never, meta: CallMeta) => Promise<unknown>;

/**
 * Builds a context's typed API (`IdentityApi`, …) from its pattern table: each method sends its pattern
 * through the context's client. The facade depends on the interface only, never on strings.
 */
export function createContextApi<TApi extends { [K in keyof TApi]: ApiMethod }>(
  client: ContextClient,
  patterns: { readonly [K in keyof TApi]: string },
): TApi {
  const api: Record<string, ApiMethod> = {};
  for (const [method, pattern] of Object.entries(patterns) as [string, string][]) {
    api[method] = (data: unknown, meta: CallMeta) => client.send(pattern, data, meta);
  }
  return api as unknown as TApi;
}
