import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { ContextUnavailableError, ContractCallError } from '../errors/domain-error.js';
import { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { ContextClient } from './context-client.js';

type Behaviour = (packet: ReadPacket) => WritePacket | 'hang';

/**
 * A scripted transport: this spec tests ContextClient's policy (deadlines, retries, breaker), so the
 * transport's failures must be reproducible; the real transports have their own integration tests.
 */
class ScriptedProxy extends ClientProxy {
  calls: ReadPacket[] = [];
  constructor(private readonly behaviour: Behaviour) {
    super();
  }
  async connect() {}
  close() {}
  unwrap<T>(): T {
    return undefined as T;
  }
  protected publish(packet: ReadPacket, callback: (p: WritePacket) => void) {
    this.calls.push(packet);
    const outcome = this.behaviour(packet);
    if (outcome !== 'hang') setTimeout(() => callback({ ...outcome, isDisposed: true }), 1);
    return () => undefined;
  }
  protected async dispatchEvent<T>(): Promise<T> {
    return undefined as T;
  }
}

const meta = { correlationId: 'c1', actor: null };
const down: Behaviour = () => ({ err: new Error('connection refused') });

describe('ContextClient', () => {
  it('carries the deadline and call metadata in the packet', async () => {
    const proxy = new ScriptedProxy(() => ({ response: { ok: true } }));
    const before = Date.now();
    await new ContextClient('identity', proxy, { timeoutMs: 500 }).send('identity.get-user.v1', { userId: 'u' }, meta);
    const data = proxy.calls[0].data as { meta: { deadline: number; correlationId: string }; data: unknown };
    expect(data.meta.correlationId).toBe('c1');
    expect(data.meta.deadline).toBeGreaterThanOrEqual(before + 500);
    expect(data.data).toEqual({ userId: 'u' });
  });

  it('turns a typed error body into ContractCallError, without retrying it', async () => {
    const proxy = new ScriptedProxy(() => ({
      err: { code: 'USER_NOT_FOUND', status: 404, detail: 'x', kind: 'not_found' },
    }));
    const error = await new ContextClient('identity', proxy, { timeoutMs: 500 })
      .send('identity.get-user.v1', {}, meta)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractCallError);
    expect(proxy.calls).toHaveLength(1);
  });

  it('fails with ContextUnavailableError when nobody answers before the deadline', async () => {
    const started = Date.now();
    const error = await new ContextClient('identity', new ScriptedProxy(() => 'hang'), { timeoutMs: 100 })
      .send('identity.register-user.v1', {}, meta)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextUnavailableError);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('retries queries after a transport failure, but never plain commands', async () => {
    let n = 0;
    const flaky = new ScriptedProxy(() => (n++ === 0 ? { err: new Error('reset') } : { response: 'ok' }));
    await expect(
      new ContextClient('identity', flaky, { timeoutMs: 500 }).send('identity.get-user.v1', {}, meta),
    ).resolves.toBe('ok');
    expect(flaky.calls).toHaveLength(2);

    const command = new ScriptedProxy(down);
    await expect(
      new ContextClient('identity', command, { timeoutMs: 500 }).send('identity.register-user.v1', {}, meta),
    ).rejects.toBeInstanceOf(ContextUnavailableError);
    expect(command.calls).toHaveLength(1);
  });

  it('retries a command that carries an idempotency key', async () => {
    let n = 0;
    const flaky = new ScriptedProxy(() => (n++ === 0 ? { err: new Error('reset') } : { response: 'ok' }));
    const client = new ContextClient('ordering', flaky, { timeoutMs: 500 });
    await expect(client.send('ordering.place-order.v1', { idempotencyKey: 'k1' }, meta)).resolves.toBe('ok');
    expect(flaky.calls).toHaveLength(2);
  });

  it('fails fast once the breaker is open, with the remaining time as Retry-After', async () => {
    const proxy = new ScriptedProxy(down);
    const breaker = new CircuitBreaker('identity', { failureThreshold: 2, cooldownMs: 30_000 });
    const client = new ContextClient('identity', proxy, { timeoutMs: 500, breaker, retries: 0 });
    for (let i = 0; i < 2; i++) await client.send('identity.register-user.v1', {}, meta).catch(() => undefined);
    const started = Date.now();
    const error = (await client
      .send('identity.get-user.v1', {}, meta)
      .catch((e: unknown) => e)) as ContextUnavailableError;
    expect(Date.now() - started).toBeLessThan(100);
    expect(error.breakerOpen).toBe(true);
    expect(error.retryAfterSeconds).toBe(30);
    expect(proxy.calls).toHaveLength(2);
  });
});
