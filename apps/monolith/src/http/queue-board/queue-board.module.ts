import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FastifyAdapter } from '@bull-board/fastify';
// The root module alone: @bull-board/nestjs's index also loads its forFeature module, which require()s the
// ESM-only @nestjs/bull-shared and fails as a require(esm) cycle once @nestjs/bullmq is loaded beside it.
import { BullBoardRootModule } from '@bull-board/nestjs/dist/bull-board.root-module.js';
import { QueueBoardSessionHttpController } from './queue-board-session.http.controller.js';
import { QUEUE_BOARD_ROUTE } from './queue-board-access.hook.js';
import { QueueBoardSessions } from './queue-board-sessions.js';
import { QueueBoardRegistrar } from './queue-board.registrar.js';

/**
 * Bull Board at /admin/queues (API.md, Operations): every BullMQ queue of this process, for admins. The
 * board itself is a Fastify plugin that @bull-board/nestjs mounts during init; who may see it is decided by
 * `registerQueueBoardAccess` (a root Fastify hook, see app.factory.ts), since Nest's guards do not run for it.
 */
@Module({
  imports: [
    DiscoveryModule,
    BullBoardRootModule.forRoot({
      route: QUEUE_BOARD_ROUTE,
      adapter: FastifyAdapter,
      boardOptions: { uiConfig: { boardTitle: 'Ficus queues' } },
    }),
  ],
  controllers: [QueueBoardSessionHttpController],
  providers: [QueueBoardSessions, QueueBoardRegistrar],
  exports: [QueueBoardSessions],
})
export class QueueBoardModule {}
