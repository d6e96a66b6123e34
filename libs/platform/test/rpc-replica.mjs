/**
 * One replica of the echo test service in a process of its own, so redis-transport.int-spec.ts and
 * rpc-failover.process.int-spec.ts can SIGKILL it mid-run. Jest is not there to compile TypeScript, so ts-hooks.mjs compiles the platform's
 * `.ts` sources with SWC, as jest.config.mjs does, and maps `@ficus/*` and `.js` imports to them. The
 * service itself is plain JavaScript, with Nest's decorators applied by hand.
 *
 * Environment: RPC_URL, RPC_PREFIX, REPLICA (label in replies), RPC_CONCURRENCY, RPC_LEASE_MS. Prints
 * `ready` once listening.
 */
import './ts-hooks.mjs';

await import('reflect-metadata');
const { Controller, Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { MessagePattern } = await import('@nestjs/microservices');
const { Redis } = await import('ioredis');
const { RedisRpcServer } = await import('../src/messaging/redis/redis-rpc.server.ts');

const replica = process.env.REPLICA ?? 'child';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class EchoController {
  async echo(message) {
    const { id, delayMs = 0 } = message.data;
    await sleep(delayMs);
    return { id, replica };
  }
}

/**
 * The ledger service: every run and every effect is recorded in Redis under `<RPC_PREFIX>:ledger:`, so a
 * test can count them across replicas. `runs:<id>` lists the replicas that started request `id`;
 * `effects:<id>` counts the effects of command `id`. A command with an idempotency key is idempotent by
 * that key, as the contract asks of such commands; a command without one applies its effect every time it
 * runs, so running it twice would show.
 */
const ledger = new Redis(process.env.RPC_URL);
const ledgerKey = (...parts) => [process.env.RPC_PREFIX, 'ledger', ...parts].join(':');
/** The effect of a command with an idempotency key, at most once per key (atomically: a kill cannot split it). */
const APPLY_ONCE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX') then redis.call('INCR', KEYS[2]) end`;

class LedgerController {
  async get(message) {
    const { id, delayMs = 0 } = message.data;
    await ledger.rpush(ledgerKey('runs', id), replica);
    await sleep(delayMs);
    return { id, replica };
  }

  async apply(message) {
    const { id, delayMs = 0, idempotencyKey } = message.data;
    await ledger.rpush(ledgerKey('runs', id), replica);
    await sleep(delayMs);
    if (idempotencyKey === undefined) await ledger.incr(ledgerKey('effects', id));
    else await ledger.eval(APPLY_ONCE, 2, ledgerKey('key', idempotencyKey), ledgerKey('effects', id), id);
    return { id, replica };
  }
}

const handle = (controller, method, pattern) =>
  MessagePattern(pattern)(controller.prototype, method, Object.getOwnPropertyDescriptor(controller.prototype, method));
handle(EchoController, 'echo', 'identity.echo.v1');
handle(LedgerController, 'get', 'identity.get-ledger.v1');
handle(LedgerController, 'apply', 'identity.apply-ledger.v1');
Controller()(EchoController);
Controller()(LedgerController);
class ReplicaModule {}
Module({ controllers: [EchoController, LedgerController] })(ReplicaModule);

const strategy = new RedisRpcServer({
  url: process.env.RPC_URL,
  keyPrefix: process.env.RPC_PREFIX,
  contexts: ['identity'],
  concurrency: Number(process.env.RPC_CONCURRENCY ?? 50),
  leaseMs: process.env.RPC_LEASE_MS ? Number(process.env.RPC_LEASE_MS) : undefined,
});
const app = await NestFactory.createMicroservice(ReplicaModule, { strategy, logger: false });
await app.listen();
process.stdout.write('ready\n');
