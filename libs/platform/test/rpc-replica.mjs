/**
 * One replica of the echo test service in a process of its own, so redis-transport.int-spec.ts can
 * SIGKILL it mid-run. Jest is not there to compile TypeScript, so ts-hooks.mjs compiles the platform's
 * `.ts` sources with SWC, as jest.config.mjs does, and maps `@ficus/*` and `.js` imports to them. The
 * service itself is plain JavaScript, with Nest's decorators applied by hand.
 *
 * Environment: RPC_URL, RPC_PREFIX, REPLICA (label in replies), RPC_CONCURRENCY. Prints `ready` once
 * listening.
 */
import './ts-hooks.mjs';

await import('reflect-metadata');
const { Controller, Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { MessagePattern } = await import('@nestjs/microservices');
const { RedisRpcServer } = await import('../src/messaging/redis/redis-rpc.server.ts');

const replica = process.env.REPLICA ?? 'child';

class EchoController {
  async echo(message) {
    const { id, delayMs = 0 } = message.data;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { id, replica };
  }
}
const echo = Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo');
MessagePattern('identity.echo.v1')(EchoController.prototype, 'echo', echo);
Controller()(EchoController);
class ReplicaModule {}
Module({ controllers: [EchoController] })(ReplicaModule);

const strategy = new RedisRpcServer({
  url: process.env.RPC_URL,
  keyPrefix: process.env.RPC_PREFIX,
  contexts: ['identity'],
  concurrency: Number(process.env.RPC_CONCURRENCY ?? 50),
});
const app = await NestFactory.createMicroservice(ReplicaModule, { strategy, logger: false });
await app.listen();
process.stdout.write('ready\n');
