import fc from 'fast-check';

/** An OpenAPI schema, as far as the fuzzer reads it. */
export interface FieldSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  $ref?: string;
}

/** Values the fuzzer can use to look valid: an existing slug, product id, … */
export interface FuzzContext {
  known: Record<string, string>;
}

/** Percent-encodes every byte of the UTF-8 form (a lone surrogate becomes U+FFFD rather than throwing). */
export const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16)}`,
    )
    .join('');

/** Strings that have broken something somewhere: NUL, lone surrogates, bidi marks, long ones, injection. */
const nastyStringUpTo = (longest: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ maxLength: 10 }).map((s) => `${s}\u0000${s}`),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\ud800',
      '\udfff',
      '\u202e',
      '\ufeff',
      '𝕱𝖎𝖈𝖚𝖘 🌿',
      "' OR 1=1 --",
      '%00',
      '../../etc/passwd',
      'null',
      '1e999',
      '__proto__',
    ),
    // Long: over every maxLength; in a body the last one passes the 1 MiB limit once UTF-8 encoded.
    fc.constantFrom(...[256, 1_000, 5_001, 100_000, 600_000].filter((n) => n <= longest)).map((n) => 'é'.repeat(n)),
  );

/** For bodies: up to past the body limit. */
export const nastyString = nastyStringUpTo(600_000);

/**
 * For URLs: short enough to stay under Node's 16 KiB header limit once percent-encoded. (Past it Node
 * answers 431 but resets a connection the client is still writing to, which is TCP, not Ficus.)
 */
const nastyUrlString = nastyStringUpTo(1_000);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e-308),
);

/** JSON text nested `levels` deep, as arrays or objects. */
export const deepJson = (levels: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(levels)}1${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

const deepText = fc
  .tuple(fc.integer({ min: 33, max: 20_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
  .map(([levels, kind]) => deepJson(levels, kind));

/** JSON text with `entries` entries in one array or object. */
export const wideJson = (entries: number, kind: 'array' | 'object') =>
  kind === 'array'
    ? `[${new Array(entries).fill('1').join(',')}]`
    : `{${Array.from({ length: entries }, (_, i) => `"k${i}":1`).join(',')}}`;

const wideText = fc
  .tuple(fc.constantFrom(1_001, 5_000), fc.constantFrom<'array' | 'object'>('array', 'object'))
  .map(([entries, kind]) => wideJson(entries, kind));

/** Any JSON value that no field of Ficus should accept as-is, as JSON text. */
export const nastyValueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyString.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: nastyNumber.map((n) => JSON.stringify(n)) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '[]', '{}', '-0', '1E400', '1'.repeat(400)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: deepText },
  { weight: 1, arbitrary: wideText },
  { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"a":1}}}') },
);

/** Keys a body should not have: prototype keys, privilege-sounding ones, random ones. */
const extraKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'roles', 'isAdmin', 'id'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** A value that passes the field's own schema, often enough for the whole request to be valid. */
export function plausible(name: string, schema: FieldSchema, context: FuzzContext): fc.Arbitrary<unknown> {
  const known = context.known[name];
  if (known !== undefined) return fc.oneof(fc.constant(known), plausibleBySchema(name, schema));
  return plausibleBySchema(name, schema);
}

function plausibleBySchema(name: string, schema: FieldSchema): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (name === 'email') return fc.emailAddress();
  if (schema.format === 'uuid') return fc.uuid();
  switch (schema.type) {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausibleBySchema(name, schema.items ?? {}), { maxLength: 3 });
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: schema.maxLength ?? 40 });
      return fc.string({
        unit: 'grapheme',
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 40, 40),
      });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A JSON object as text, so that keys such as `__proto__` survive (an object literal would eat them). */
const objectText = (entries: [string, string][]) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;

/**
 * A body for a route: mostly its own DTO's fields, each valid, nasty or missing, plus stray keys; sometimes
 * any JSON at all, very deep JSON, or text that is not JSON.
 */
export function bodyText(schema: FieldSchema | undefined, context: FuzzContext): fc.Arbitrary<string> {
  const properties = Object.entries(schema?.properties ?? {});
  const field = ([name, fieldSchema]: [string, FieldSchema]) =>
    fc.oneof(
      { weight: 12, arbitrary: plausible(name, fieldSchema, context).map((v) => [name, JSON.stringify(v)]) },
      { weight: 3, arbitrary: nastyValueText.map((text) => [name, text]) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
  const shaped = fc
    .tuple(
      fc.tuple(...properties.map(field)),
      fc.array(fc.tuple(extraKey, nastyValueText), { maxLength: 2 }),
      fc.boolean(),
    )
    .map(([fields, extras, withExtras]) =>
      objectText([
        ...(fields.filter(Boolean) as [string, string][]),
        ...(withExtras ? (extras as [string, string][]) : []),
      ]),
    );
  return fc.oneof(
    { weight: 6, arbitrary: shaped },
    { weight: 2, arbitrary: nastyValueText },
    { weight: 1, arbitrary: deepText },
    { weight: 1, arbitrary: wideText },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":1,}', "{'a':1}", 'undefined', '\u0000', '[1,2') },
  );
}

/** A query string: the route's own parameters (valid or nasty, sometimes repeated) and stray ones. */
export function queryText(params: [string, FieldSchema][], context: FuzzContext): fc.Arbitrary<string> {
  const value = (name: string, schema: FieldSchema) =>
    fc.oneof(
      { weight: 3, arbitrary: plausible(name, schema, context).map((v) => (typeof v === 'string' ? v : String(v))) },
      { weight: 2, arbitrary: nastyUrlString },
    );
  const pair = fc.oneof(
    { weight: 4, arbitrary: params.length ? fc.constantFrom(...params) : fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const encodedPair = pair.chain((param) =>
    param
      ? value(param[0], param[1]).map((v) => `${param[0]}=${percentEncode(v)}`)
      : fc
          .tuple(extraKey, nastyUrlString)
          .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
          .map((p) => p),
  );
  const broken = fc.constantFrom('%', '%E0%A4%A', '%zz=1', '&&', '=', 'a[b]=1', 'constructor[prototype][x]=1');
  return fc
    .array(fc.oneof({ weight: 5, arbitrary: encodedPair }, { weight: 1, arbitrary: broken }), { maxLength: 4 })
    .map((pairs) =>
      pairs.reduce(
        (query, pair) => (query.length + pair.length < 8_000 ? (query ? `${query}&${pair}` : pair) : query),
        '',
      ),
    );
}

/** A path parameter: a plausible one (often an existing id), a nasty one, or a broken percent-encoding. */
export function pathParam(name: string, schema: FieldSchema, context: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: plausible(name, schema, context).map((v) => percentEncode(String(v))) },
    { weight: 3, arbitrary: nastyUrlString.map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%', '%zz', '%00', '..', '%2F', 'a'.repeat(600)) },
  );
}

/** One generated request: the path (parameters filled in), the query string and the body text. */
export interface FuzzRequest {
  path: string;
  query: string;
  body: string | undefined;
}

/**
 * Requests that must be tried whatever the seed: each known poison (NUL, a lone surrogate, 10,000 levels
 * of nesting, 5,000 keys) in each body field, NUL in each query and path parameter, and a deep body, with
 * every other field plausible so that only the poison can fail.
 */
export function targetedRequests(
  route: { path: string; pathParams: [string, FieldSchema][]; query: [string, FieldSchema][] },
  bodySchema: FieldSchema | undefined,
  hasBody: boolean,
  context: FuzzContext,
  seed: number,
): FuzzRequest[] {
  const sample = (name: string, schema: FieldSchema) =>
    fc.sample(plausible(name, schema, context), { seed, numRuns: 1 })[0];
  const pathWith = (poisoned?: string) =>
    route.pathParams.reduce(
      (path, [name, schema]) =>
        path.replace(`:${name}`, name === poisoned ? '%00' : percentEncode(String(sample(name, schema)))),
      route.path,
    );
  const fields = Object.entries(bodySchema?.properties ?? {});
  const baseline = fields.map(([name, schema]) => [name, JSON.stringify(sample(name, schema))] as [string, string]);
  const bodyWith = (poisoned?: string, poison?: string) =>
    hasBody ? objectText(baseline.map(([name, text]) => [name, name === poisoned ? poison! : text])) : undefined;
  const poisons = [
    JSON.stringify('a\u0000b'),
    JSON.stringify('a\ud800b'),
    deepJson(10_000, 'array'),
    deepJson(10_000, 'object'),
    wideJson(5_000, 'object'),
  ];
  return [
    ...fields.flatMap(([name]) =>
      poisons.map((poison) => ({ path: pathWith(), query: '', body: bodyWith(name, poison) })),
    ),
    ...route.query.map(([name]) => ({ path: pathWith(), query: `${percentEncode(name)}=a%00b`, body: bodyWith() })),
    ...route.pathParams.map(([name]) => ({ path: pathWith(name), query: '', body: bodyWith() })),
    ...(hasBody ? [deepJson(10_000, 'array'), deepJson(10_000, 'object')] : []).map((body) => ({
      path: pathWith(),
      query: '',
      body,
    })),
  ];
}
