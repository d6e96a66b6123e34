import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConditionalRead } from '@ficus/contracts';

const MAX_TAGS = 16;
const MAX_TAG_LENGTH = 100;

/**
 * The versions a client holds, from `If-None-Match` (weak comparison, as RFC 9110 says for it: `W/` is
 * ignored), to ask the owning context for a conditional read. `*` is `any`: answered 304 whatever the
 * version. Malformed or oversized entries are dropped: they can only match nothing.
 */
export function clientVersions(request: FastifyRequest): { versions?: string[]; any: boolean } {
  const header = request.headers['if-none-match'];
  if (!header) return { any: false };
  if (header.trim() === '*') return { any: true };
  const versions: string[] = [];
  for (const raw of header.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag.length < 3 || tag.length > MAX_TAG_LENGTH + 2 || !tag.startsWith('"') || !tag.endsWith('"')) continue;
    versions.push(tag.slice(1, -1));
    if (versions.length === MAX_TAGS) break;
  }
  return { versions: versions.length ? versions : undefined, any: false };
}

/**
 * Answers a conditional read: the strong ETag derived from the resource's version, and `304` without a
 * body when the client already holds it (the context sent no body then), else `200` with the view. The
 * body is sent here rather than returned, because Nest would set 200 over a 304.
 */
export function sendConditional<T>(reply: FastifyReply, read: ConditionalRead<T>, any: boolean): void {
  reply.header('etag', `"${read.version}"`);
  if (read.value === null || any) {
    void reply.code(304).send();
    return;
  }
  void reply.send(read.value);
}
