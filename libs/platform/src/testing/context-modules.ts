import type { Type } from '@nestjs/common';
import type { ContextName } from '@ficus/contracts';

/**
 * Loads a built context's Nest module by its name, for a test that needs the contexts its context under
 * test calls (ordering's suites need catalog and payments running). The lookup is by name at run time,
 * like a contract call: no context imports another's code (the boundary rules hold for tests too), and a
 * context that is not built yet fails here with a clear message. `@ficus/<ctx>` exports that module and
 * nothing else.
 */
export async function loadContextModule(context: ContextName): Promise<Type> {
  const specifier = `@ficus/${context}`;
  let exported: Record<string, unknown>;
  try {
    exported = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`Context "${context}" is not built (cannot load ${specifier})`, { cause: error });
  }
  const name = `${context[0].toUpperCase()}${context.slice(1)}Module`;
  const module = exported[name];
  if (typeof module !== 'function') throw new Error(`${specifier} exports no ${name}`);
  return module as Type;
}
