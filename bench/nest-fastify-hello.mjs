// A Nest 12 + Fastify "hello" with nothing of Ficus: no global guards, pipes, logger, helmet, CORS,
// versioning or metrics. Between bare Fastify and Ficus, it separates what the framework costs from what
// Ficus's own layers cost. Plain JS (no decorators syntax): the decorators are applied by hand.
// Started by bench/run.mjs as a child process; prints one JSON line with `"event":"nest-hello.listening"`.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

class HealthController {
  live() {
    return { status: 'ok' };
  }
}
Controller('health')(HealthController);
Get('live')(HealthController.prototype, 'live', Object.getOwnPropertyDescriptor(HealthController.prototype, 'live'));

class AppModule {}
Module({ controllers: [HealthController] })(AppModule);

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';

try {
  const app = await NestFactory.create(AppModule, new FastifyAdapter({ logger: false }), { logger: false });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen({ port, host });
  const address = app.getHttpServer().address();
  process.stdout.write(
    `${JSON.stringify({ event: 'nest-hello.listening', port: address.port, startupMs: Math.round(performance.now()) })}\n`,
  );
} catch (error) {
  process.stderr.write(`nest-fastify-hello failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
}
