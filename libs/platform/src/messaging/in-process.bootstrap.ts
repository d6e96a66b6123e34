import type { INestApplication } from '@nestjs/common';
import { InProcessServer } from './in-process.server.js';

/**
 * Connects the in-process transport so Nest registers every `@MessagePattern`/`@EventPattern` handler on
 * it, with the app's global filters and pipes (`inheritAppConfig`) as over any other transport.
 */
export async function startInProcessTransport(app: INestApplication): Promise<void> {
  app.connectMicroservice({ strategy: app.get(InProcessServer) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
}
