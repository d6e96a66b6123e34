/**
 * What a value looks like after a trip over a wire: Dates become ISO strings, class instances plain
 * objects, `undefined` fields vanish. The in-process transport applies it both ways so that a context
 * which works in-process behaves the same over Redis.
 */
export function overTheWire<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value)) as T;
}

// Tests always copy, so the parity suites keep proving that what works in-process works over Redis.
const copyFrozen = process.env.NODE_ENV === 'test';

/**
 * A result on its way back to an in-process caller. A frozen result is passed as is outside tests: only
 * read models answered from a context's cache are frozen, and the cache stores them already in their
 * over-the-wire form (`wireForm`), so the copy would change nothing and nobody can modify them (saves a
 * stringify and a parse per cached read). Anything else is copied, as a wire would.
 */
export function overTheWireUnlessShared<T>(value: T): T {
  if (!copyFrozen && typeof value === 'object' && value !== null && Object.isFrozen(value)) return value;
  return overTheWire(value);
}
