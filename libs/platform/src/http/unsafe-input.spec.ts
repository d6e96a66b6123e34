import { findUnsafeInput, INPUT_LIMITS } from './unsafe-input.js';

const MAX_INPUT_DEPTH = INPUT_LIMITS.depth;

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('findUnsafeInput', () => {
  it('accepts ordinary JSON, unicode and control characters other than NUL included', () => {
    const input = { name: 'Zoë 🌿 \u0001\t', items: [{ productId: 'x', quantity: 2 }], ok: true, n: null };
    expect(findUnsafeInput(input, 'body')).toBeNull();
  });

  it('names the field that holds a NUL character, however deep', () => {
    expect(findUnsafeInput({ name: 'a\u0000b' }, 'body')).toEqual({
      field: 'name',
      message: 'name must not contain NUL characters',
    });
    expect(findUnsafeInput({ items: [{ name: 'ok' }, { name: '\u0000' }] }, 'body')?.field).toBe('items.1.name');
  });

  it('names the whole input when it is itself a string with NUL', () => {
    expect(findUnsafeInput('\u0000', 'body')?.field).toBe('body');
  });

  it('refuses a lone surrogate (no UTF-8 form) but accepts a proper pair', () => {
    expect(findUnsafeInput({ email: 'a\ud800@example.com' }, 'body')).toEqual({
      field: 'email',
      message: 'email must be valid Unicode text (a lone surrogate is not)',
    });
    expect(findUnsafeInput({ name: '\udfffx' }, 'body')?.field).toBe('name');
    expect(findUnsafeInput({ name: '\ud83c\udf3f' }, 'body')).toBeNull();
  });

  it('refuses NUL in a key as well as in a value', () => {
    expect(findUnsafeInput({ 'a\u0000': 1 }, 'body')?.message).toBe('field names must not contain NUL characters');
  });

  it(`accepts ${MAX_INPUT_DEPTH} levels of nesting and refuses one more, naming the top-level field`, () => {
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH), 'body')).toBeNull();
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH + 1), 'body')).toEqual({
      field: 'a',
      message: `a is nested more than ${MAX_INPUT_DEPTH} levels deep`,
    });
  });

  it('refuses an object with more than 1,000 fields or an array with more than 1,000 items', () => {
    const wide = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, 1]));
    expect(findUnsafeInput(wide, 'body')).toEqual({ field: 'body', message: 'body has more than 1000 fields' });
    expect(findUnsafeInput({ items: [{ tags: new Array(1_001).fill('x') }] }, 'body')).toEqual({
      field: 'items.0.tags',
      message: 'items.0.tags has more than 1000 items',
    });
    expect(findUnsafeInput({ tags: new Array(1_000).fill('x') }, 'body')).toBeNull();
  });

  it('refuses more than 10,000 values in all, however they are spread', () => {
    const spread = { lists: Array.from({ length: 20 }, () => new Array(600).fill(1)) };
    expect(findUnsafeInput(spread, 'body')).toEqual({ field: 'body', message: 'body holds more than 10000 values' });
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(findUnsafeInput({ email: nested(1_000_000) }, 'body')?.field).toBe('email');
  });

  it('shortens an absurdly long key in the field it reports', () => {
    const issue = findUnsafeInput({ ['k'.repeat(10_000)]: '\u0000' }, 'body');
    expect(issue!.field.length).toBeLessThanOrEqual(101);
  });

  it('ignores values that are not JSON (buffers, class instances that may be circular, undefined)', () => {
    class FilePart {
      self = this;
      name = 'a\u0000';
    }
    expect(
      findUnsafeInput({ file: Buffer.from([0, 0, 0]), part: new FilePart(), missing: undefined }, 'body'),
    ).toBeNull();
    expect(findUnsafeInput(Object.assign(Object.create(null), { q: '\u0000' }), 'query')?.field).toBe('q');
  });

  it("walks query strings as Fastify parses them (fast-querystring's null-prototype dictionaries)", () => {
    // fast-querystring's shape: `function Empty() {}; Empty.prototype = Object.create(null)`.
    function Empty() {}
    Empty.prototype = Object.create(null) as object;
    const query = (entries: object) => Object.assign(new (Empty as unknown as new () => object)(), entries);
    expect(findUnsafeInput(query({ q: '\u0000' }), 'query')?.field).toBe('q');
    expect(findUnsafeInput(query({ q: ['a', '\u0000'] }), 'query')?.field).toBe('q.1');
    expect(findUnsafeInput(undefined, 'body')).toBeNull();
  });
});
