import { canonicalJson, requestFingerprint } from './request-fingerprint.js';

const fingerprint = (body: unknown, extra: { params?: unknown; query?: unknown } = {}) =>
  requestFingerprint({ params: extra.params ?? {}, query: extra.query ?? {}, body });

describe('canonicalJson', () => {
  it('sorts object keys at every depth and drops whitespace', () => {
    const parsed = JSON.parse('{ "b": 1, "a": { "y": [ 2, {"d": 4, "c": 3} ], "x": null } }');
    expect(canonicalJson(parsed)).toBe('{"a":{"x":null,"y":[2,{"c":3,"d":4}]},"b":1}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('treats undefined members as absent and undefined items as null, like JSON.stringify', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson([undefined])).toBe('[null]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes numbers and strings as JSON does (1.0 is 1, escapes are normalised)', () => {
    expect(canonicalJson(JSON.parse('{"n": 1.0, "s": "\\u00e9\\n"}'))).toBe('{"n":1,"s":"é\\n"}');
  });

  it('orders keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, ä: 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"ä":3}');
  });
});

describe('requestFingerprint', () => {
  const body = { items: [{ productId: 'p1', quantity: 2 }], paymentToken: 'tok_ok' };

  it('is the same for bodies equal as JSON but not as bytes (key order, whitespace)', () => {
    const reordered = JSON.parse('{ "paymentToken": "tok_ok",\n "items": [ { "quantity": 2, "productId": "p1" } ] }');
    expect(fingerprint(reordered)).toBe(fingerprint(body));
  });

  it('differs when any value differs, including array order, type and null versus missing', () => {
    const base = fingerprint(body);
    expect(fingerprint({ ...body, paymentToken: 'tok_declined' })).not.toBe(base);
    expect(fingerprint({ ...body, items: [{ productId: 'p1', quantity: '2' }] })).not.toBe(base);
    expect(fingerprint({ ...body, extra: null })).not.toBe(base);
    expect(fingerprint({ items: [{ productId: 'a' }, { productId: 'b' }] })).not.toBe(
      fingerprint({ items: [{ productId: 'b' }, { productId: 'a' }] }),
    );
  });

  it('covers path parameters and query, so one key on two resources is two requests', () => {
    expect(fingerprint({}, { params: { id: 'a' } })).not.toBe(fingerprint({}, { params: { id: 'b' } }));
    expect(fingerprint({}, { query: { dryRun: 'true' } })).not.toBe(fingerprint({}));
  });

  it('treats a missing body like a JSON null body, and is a 64-character hex digest', () => {
    expect(requestFingerprint({ params: undefined, query: undefined, body: undefined })).toBe(fingerprint(null));
    expect(fingerprint(body)).toMatch(/^[0-9a-f]{64}$/);
  });
});
