import { resolveRequestId, validTraceparent } from './correlation.js';

describe('correlation ids', () => {
  it('keeps a plain client request id', () => {
    expect(resolveRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
  });

  it.each([['has space'], ['x'.repeat(129)], [''], ['new\nline'], ['{"json":1}']])(
    'replaces an unsafe id %j with a UUID',
    (raw) => {
      expect(resolveRequestId(raw)).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('accepts only well-formed W3C traceparent headers', () => {
    expect(validTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBeDefined();
    expect(validTraceparent('00-xyz-00f067aa0ba902b7-01')).toBeUndefined();
    expect(validTraceparent(undefined)).toBeUndefined();
  });
});
