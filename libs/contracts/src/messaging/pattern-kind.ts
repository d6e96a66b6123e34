/**
 * Patterns are `<context>.<verb>-<noun>.v<N>`. Queries (verbs get, list, search, ping) have no effect, so a
 * caller may retry them after a transport failure; commands are retried only with an idempotency key.
 */
const QUERY_VERBS = /^(get|list|search|ping)(-|$)/;

export function contextOfPattern(pattern: string): string {
  return pattern.slice(0, pattern.indexOf('.'));
}

export function isQueryPattern(pattern: string): boolean {
  const action = pattern.split('.')[1] ?? '';
  return QUERY_VERBS.test(action);
}

/** The health ping every remote context host answers. */
export const pingPattern = (context: string) => `${context}.ping.v1`;
