/**
 * What a value looks like after a trip over a wire: Dates become ISO strings, class instances plain
 * objects, `undefined` fields vanish. The in-process transport applies it both ways so that a context
 * which works in-process behaves the same over Redis.
 */
export function overTheWire<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value)) as T;
}
