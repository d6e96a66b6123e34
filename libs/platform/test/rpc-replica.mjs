/**
 * One replica of the echo test service in a process of its own, so redis-transport.int-spec.ts can
 * SIGKILL it mid-run. Jest is not there to compile TypeScript, so an in-thread module hook compiles the
 * platform's `.ts` sources with SWC, as jest.config.mjs does, and maps `@ficus/*` and `.js` imports to
 * them. The service itself is plain JavaScript, with Nest's decorators applied by hand.
 *
 * Environment: RPC_URL, RPC_PREFIX, REPLICA (label in replies), RPC_CONCURRENCY. Prints `ready` once
 * listening.
 */
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const root = new URL('../../../', import.meta.url);
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
};

registerHooks({
  resolve(specifier, context, next) {
    const lib = /^@ficus\/([a-z-]+)$/.exec(specifier);
    if (lib) return { url: new URL(`libs/${lib[1]}/src/index.ts`, root).href, shortCircuit: true };
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(ts)) return { url: ts.href, shortCircuit: true };
    }
    return next(specifier, context);
  },
  load(url, context, next) {
    if (!url.endsWith('.ts')) return next(url, context);
    const { code } = transformSync(readFileSync(new URL(url), 'utf8'), { ...swc, filename: fileURLToPath(url) });
    return { format: 'module', source: code, shortCircuit: true };
  },
});

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
