import { HttpProblem } from '../http/all-exceptions.filter.js';
import { parseIdempotencyKey } from './idempotency.errors.js';

function failure(header: string | undefined): HttpProblem {
  try {
    parseIdempotencyKey(header);
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('parseIdempotencyKey', () => {
  it('accepts keys of 1 to 255 characters as they are', () => {
    expect(parseIdempotencyKey('k')).toBe('k');
    expect(parseIdempotencyKey('x'.repeat(255))).toBe('x'.repeat(255));
    expect(parseIdempotencyKey('0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10')).toBe('0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['256 characters long', 'x'.repeat(256)],
  ])('answers 400 IDEMPOTENCY_KEY_REQUIRED when the key is %s', (_, header) => {
    const problem = failure(header);
    expect(problem.getStatus()).toBe(400);
    expect(problem.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });
});
