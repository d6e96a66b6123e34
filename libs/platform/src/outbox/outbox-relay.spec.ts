import { backoffMs } from './outbox-relay.js';

const BASE = 100;
const MAX = 10_000;
const top = () => 1 - Number.EPSILON; // Math.random() never returns 1
const bottom = () => 0;

describe('backoffMs', () => {
  it('doubles the delay with every attempt (at the top of the jitter range)', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, BASE, MAX, top));
    expect(delays).toEqual([100, 200, 400, 800, 1600]);
  });

  it('treats attempt 0 (and below) like the first attempt', () => {
    expect(backoffMs(0, BASE, MAX, top)).toBe(100);
    expect(backoffMs(-3, BASE, MAX, top)).toBe(100);
  });

  it('is capped at the maximum however many attempts failed', () => {
    for (const attempt of [8, 9, 20, 100, 1000]) {
      expect(backoffMs(attempt, BASE, MAX, top)).toBe(MAX);
      expect(backoffMs(attempt, BASE, MAX, bottom)).toBe(MAX / 2);
    }
  });

  it('keeps jitter within [exp/2, exp] for every attempt', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; // deterministic LCG
      return seed / 2 ** 31;
    };
    for (let attempt = 1; attempt <= 12; attempt++) {
      const exp = Math.min(MAX, BASE * 2 ** (attempt - 1));
      expect(backoffMs(attempt, BASE, MAX, bottom)).toBe(exp / 2);
      expect(backoffMs(attempt, BASE, MAX, top)).toBe(exp);
      for (let i = 0; i < 200; i++) {
        const delay = backoffMs(attempt, BASE, MAX, random);
        expect(delay).toBeGreaterThanOrEqual(exp / 2);
        expect(delay).toBeLessThanOrEqual(exp);
      }
    }
  });

  it('spreads retries of the same attempt instead of firing them in lock-step', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(5, BASE, MAX)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('returns whole milliseconds', () => {
    expect(Number.isInteger(backoffMs(3, 7, 1000, () => 0.123))).toBe(true);
  });
});
