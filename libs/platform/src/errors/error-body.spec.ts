import {
  ContextUnavailableError,
  ContractCallError,
  DomainError,
  ServiceUnavailable,
  ValidationFailed,
} from './domain-error.js';
import { describeForOperators, retryAfterOf, toContractErrorBody } from './error-body.js';

class WidgetMissing extends DomainError {
  readonly code = 'WIDGET_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

describe('toContractErrorBody', () => {
  it('keeps a domain error code, status and detail', () => {
    expect(toContractErrorBody(new WidgetMissing('no widget 7'))).toEqual({
      code: 'WIDGET_NOT_FOUND',
      status: 404,
      detail: 'no widget 7',
      kind: 'not_found',
    });
  });

  it('carries per-field errors of a validation failure', () => {
    const body = toContractErrorBody(new ValidationFailed([{ field: 'email', message: 'bad' }]));
    expect(body).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      errors: [{ field: 'email', message: 'bad' }],
    });
  });

  it('passes a received remote error through unchanged', () => {
    const remote = { code: 'EMAIL_TAKEN', status: 409, detail: 'taken', kind: 'conflict' as const };
    expect(toContractErrorBody(new ContractCallError(remote))).toBe(remote);
  });

  it('maps an unavailable context to 503', () => {
    expect(toContractErrorBody(new ContextUnavailableError('payments', 'timeout')).status).toBe(503);
  });

  it('carries the seconds after which a retry may succeed, rounded up, and only when set', () => {
    expect(toContractErrorBody(new ServiceUnavailable('provider down', 4.2))).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      detail: 'provider down',
      kind: 'unavailable',
      retryAfterSeconds: 5,
    });
    expect(toContractErrorBody(new WidgetMissing('no widget 7'))).not.toHaveProperty('retryAfterSeconds');
    expect(toContractErrorBody(new ContextUnavailableError('payments', 'circuit open', 9, true))).toMatchObject({
      retryAfterSeconds: 9,
    });
  });

  it('turns the carried seconds into Retry-After, with 1 s for a 503 that carries none', () => {
    expect(retryAfterOf({ status: 503, retryAfterSeconds: 12 })).toBe('12');
    expect(retryAfterOf({ status: 503 })).toBe('1');
    expect(retryAfterOf({ status: 429, retryAfterSeconds: 0 })).toBe('0');
    expect(retryAfterOf({ status: 404 })).toBeUndefined();
    expect(retryAfterOf({ status: 503, retryAfterSeconds: Number.NaN })).toBe('1');
  });

  it('hides the message and stack of unknown errors', () => {
    const body = toContractErrorBody(new Error('password=hunter2 at db.ts:42'));
    expect(body).toEqual({ code: 'INTERNAL', status: 500, detail: 'An unexpected error occurred.', kind: 'internal' });
  });
});

describe('describeForOperators', () => {
  it('keeps the class and message of an unexpected error, without its stack', () => {
    class PoisonPill extends Error {}
    const text = describeForOperators(new PoisonPill('cannot digest order 42'));
    expect(text).toBe('PoisonPill: cannot digest order 42');
    expect(text).not.toContain(' at ');
  });

  it('redacts credentials in URLs and secrets named in the message', () => {
    const text = describeForOperators(
      new Error('connect to postgres://ficus:hunter2@db:5432/x failed; password=hunter2 token: abc.def'),
    );
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc.def');
    expect(text).toContain('postgres://***@db:5432/x');
  });

  it('bounds the length and describes values that are not errors', () => {
    expect(describeForOperators(new Error('x'.repeat(5000))).length).toBeLessThanOrEqual(500);
    expect(describeForOperators('boom')).toBe('non-error thrown: boom');
  });
});

describe('ValidationFailed', () => {
  it('keeps at most 50 bounded entries and says how many more there were', () => {
    const errors = Array.from({ length: 500 }, (_, i) => ({
      field: `f${i}${'x'.repeat(300)}`,
      message: 'm'.repeat(400),
    }));
    const failure = new ValidationFailed(errors);
    expect(failure.errors).toHaveLength(50);
    expect(failure.errors.every((e) => e.field.length <= 200 && e.message.length <= 300)).toBe(true);
    expect(failure.message.length).toBeLessThanOrEqual(1000);
    const few = new ValidationFailed([
      { field: 'a', message: 'bad' },
      { field: 'b', message: 'worse' },
    ]);
    expect(few.message).toBe('a: bad; b: worse');
  });
});
