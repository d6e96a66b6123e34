import { jest } from '@jest/globals';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker('payments', { failureThreshold: 3, cooldownMs: 1000, now: () => now });
  const fail = () => Promise.reject(new Error('down'));
  const ok = () => Promise.resolve('ok');
  const all = () => true;

  beforeEach(() => {
    now = 0;
  });

  it('opens after the threshold of consecutive failures and then fails fast', async () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) await expect(b.run(fail, all)).rejects.toThrow('down');
    const call = jest.fn(ok);
    await expect(b.run(call, all)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(call).not.toHaveBeenCalled();
    expect(b.remainingOpenMs()).toBe(1000);
  });

  it('resets the count on a success in between', async () => {
    const b = breaker();
    await expect(b.run(fail, all)).rejects.toThrow();
    await expect(b.run(fail, all)).rejects.toThrow();
    await b.run(ok, all);
    await expect(b.run(fail, all)).rejects.toThrow();
    expect(b.currentState).toBe('closed');
  });

  it('does not count failures the caller says do not count', async () => {
    const b = breaker();
    for (let i = 0; i < 5; i++) await expect(b.run(fail, () => false)).rejects.toThrow('down');
    expect(b.currentState).toBe('closed');
  });

  it('lets one trial through after the cooldown: success closes, failure reopens', async () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) await expect(b.run(fail, all)).rejects.toThrow();
    now = 1000;
    expect(b.currentState).toBe('half-open');
    await expect(b.run(fail, all)).rejects.toThrow('down');
    expect(b.currentState).toBe('open');
    now = 2000;
    await expect(b.run(ok, all)).resolves.toBe('ok');
    expect(b.currentState).toBe('closed');
  });

  it('rejects other calls while the half-open trial is in flight', async () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) await expect(b.run(fail, all)).rejects.toThrow();
    now = 1000;
    let release!: () => void;
    const trial = b.run(() => new Promise<string>((r) => (release = () => r('ok'))), all);
    await expect(b.run(ok, all)).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(trial).resolves.toBe('ok');
  });
});
