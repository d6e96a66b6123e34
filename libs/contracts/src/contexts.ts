/** Every bounded context of Ficus. A context's name is also its Postgres schema and its role suffix. */
export const CONTEXT_NAMES = ['identity', 'catalog', 'ordering', 'payments', 'notifications', 'media'] as const;

/** The name of one bounded context. */
export type ContextName = (typeof CONTEXT_NAMES)[number];

export function isContextName(value: string): value is ContextName {
  return (CONTEXT_NAMES as readonly string[]).includes(value);
}
