import type { INestApplication } from '@nestjs/common';
import { InProcessServer } from './in-process.server.js';

/**
 * Connects the in-process transport so Nest registers every `@MessagePattern`/`@EventPattern` handler on
 * it, with the app's global filters and pipes (`inheritAppConfig`) as over any other transport; then
 * initializes the app and only then lets the transport listen. Listening starts the queued-event workers,
 * and their handlers may need what init registers (CQRS command and query handlers), as the Redis
 * transport's do. In-process calls work from the start: they do not wait for listen.
 */
export async function startInProcessTransport(app: INestApplication): Promise<void> {
  app.connectMicroservice({ strategy: app.get(InProcessServer) }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
}
