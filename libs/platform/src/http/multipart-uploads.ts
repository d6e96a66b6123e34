import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sendProblem } from './problem-reply.js';

/** Fastify route config of the routes that take `multipart/form-data` (`@RouteConfig(MULTIPART_ROUTE)`). */
export const MULTIPART_ROUTE = { multipart: true } as const;

const MULTIPART = /^multipart\/form-data\b/i;

/**
 * `multipart/form-data` for the routes that opt in, and for no other: @fastify/multipart's parser is
 * registered for the whole server (a content-type parser cannot be scoped to a Nest route), so every
 * other route answers a multipart body 415 before the parser runs, exactly as before the plugin existed.
 * The parser itself reads nothing: the route streams the parts (`request.file()`), so a file never sits
 * in memory whole and the JSON body limit does not apply to it; the route enforces its own limits.
 */
export async function registerMultipartUploads(app: NestFastifyApplication): Promise<void> {
  await app.register(multipart, {
    // Defaults for every parse; a route passes its own file size limit to request.file().
    limits: { files: 1, fields: 10, parts: 20, fieldSize: 1024, headerPairs: 100 },
  });
  app
    .getHttpAdapter()
    .getInstance()
    // Callback style: every request passes here, and an async hook costs each a promise and a hop.
    .addHook('onRequest', (request, reply, done) => {
      const type = request.headers['content-type'];
      const config = request.routeOptions.config as { multipart?: boolean } | undefined;
      if (!type || !MULTIPART.test(type) || config?.multipart === true) return done();
      // Answered here: `done` is not called, so nothing after this hook runs.
      void sendProblem(request, reply, {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: 'Send the request body as application/json.',
      });
    });
}
