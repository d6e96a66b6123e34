import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * Strong ETags for successful GET responses of the versioned API, and `304 Not Modified` when the client
 * already has that representation. (@fastify/etag hashes every response, POSTs and errors included, and
 * can answer 304 to a POST; this keeps to RFC 9110's conditional GET.)
 */
export function registerEtagHook(fastify: FastifyInstance, pathPrefix = '/v1/'): void {
  // Callback style: an async hook costs a promise and a microtask hop on every response.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload);
    if (!request.url.startsWith(pathPrefix) || reply.hasHeader('etag')) return done(null, payload);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    const etag = `"${createHash('sha1').update(payload).digest('base64url')}"`;
    reply.header('etag', etag);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return done(null, '');
    }
    done(null, payload);
  });
}
