// The host of the RPC transport bench (bench/rpc.mjs): Ficus's `RedisRpcServer` serving two identity-shaped
// patterns that do no work (a query and a command), so that what the bench measures is the transport alone.
// It imports the TypeScript sources through libs/platform/test/ts-hooks.mjs (no build), from RPC_BENCH_ROOT
// (default: this repository), so that another checkout — the code before a change — is measured by the
// same bench. The handlers are plain JavaScript with Nest's decorators applied by hand.
//
// Environment: RPC_URL, RPC_PREFIX, RPC_BENCH_ROOT. Prints `ready` once it takes requests.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = process.env.RPC_BENCH_ROOT ?? fileURLToPath(new URL('../../', import.meta.url));
const source = (path) => pathToFileURL(join(root, path)).href;
await import(source('libs/platform/test/ts-hooks.mjs'));
await import('reflect-metadata');
const { Controller, Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { MessagePattern } = await import('@nestjs/microservices');
const { RedisRpcServer } = await import(source('libs/platform/src/messaging/redis/redis-rpc.server.ts'));

// The same names as in bench/rpc.mjs.
const BENCH_QUERY = 'identity.get-bench-user.v1';
const BENCH_COMMAND = 'identity.touch-bench-user.v1';

/** A user-shaped answer (about 200 bytes of JSON), as `identity.get-user.v1` returns. */
const user = (id) => ({
  id,
  email: 'bench@example.com',
  name: 'Bench User',
  roles: ['customer'],
  createdAt: '2026-01-01T00:00:00.000Z',
});

class BenchController {
  get(message) {
    return user(message.data.userId);
  }
  touch(message) {
    return user(message.data.userId);
  }
}
for (const [method, pattern] of [
  ['get', BENCH_QUERY],
  ['touch', BENCH_COMMAND],
]) {
  const descriptor = Object.getOwnPropertyDescriptor(BenchController.prototype, method);
  MessagePattern(pattern)(BenchController.prototype, method, descriptor);
}
Controller()(BenchController);
class BenchModule {}
Module({ controllers: [BenchController] })(BenchModule);

const strategy = new RedisRpcServer({
  url: process.env.RPC_URL,
  keyPrefix: process.env.RPC_PREFIX,
  contexts: ['identity'],
});
const app = await NestFactory.createMicroservice(BenchModule, { strategy, logger: false });
await app.listen();
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
process.stdout.write('ready\n');
