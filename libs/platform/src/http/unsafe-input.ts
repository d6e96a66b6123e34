import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from '../errors/domain-error.js';
import { sendProblem } from './problem-reply.js';

/**
 * How deep a request's JSON may nest. Ficus's deepest DTO is three levels (order → items → item); the
 * validators (class-transformer, class-validator) recurse, so an input nested thousands of levels deep
 * overflows the stack before it could be rejected. 32 leaves ample room for any future shape.
 */
export const MAX_INPUT_DEPTH = 32;

const MAX_FIELD_CHARS = 100;

// In unicode mode a valid surrogate pair is one code point; only a lone half is in the category Cs.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a string is no text Ficus can keep, if it is not: NUL, which PostgreSQL refuses in text (a 500
 * otherwise), or a lone UTF-16 surrogate (JSON allows `"\ud800"`), which has no UTF-8 form: validator.js
 * throws on it (`encodeURI` in `isEmail`) and PostgreSQL would silently store U+FFFD instead.
 */
function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (a lone surrogate is not)';
  return undefined;
}

export interface InputIssue {
  field: string;
  message: string;
}

const shorten = (key: string) => (key.length > MAX_FIELD_CHARS ? `${key.slice(0, MAX_FIELD_CHARS)}…` : key);

/**
 * The first thing in a parsed input that no Ficus field may hold, whatever its DTO says: a string or key
 * that is not storable text (see `textProblem`), or nesting deeper than `maxDepth`. Iterative, so that
 * the check itself cannot overflow the stack it protects. `root` names the whole input when the problem
 * is the input itself (a body that is just a string).
 */
export function findUnsafeInput(input: unknown, root: string, maxDepth = MAX_INPUT_DEPTH): InputIssue | null {
  const pending: { value: unknown; path: string[] }[] = [{ value: input, path: [] }];
  while (pending.length) {
    const { value, path } = pending.pop()!;
    const field = () => (path.length ? path.join('.') : root);
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { field: field(), message: `${field()} ${problem}` };
      continue;
    }
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
    if (path.length >= maxDepth) {
      const top = path[0]!;
      return { field: top, message: `${top} is nested more than ${maxDepth} levels deep` };
    }
    for (const key of Object.keys(value)) {
      const child = [...path, shorten(key)];
      const problem = textProblem(key);
      if (problem) return { field: child.join('.'), message: `field names ${problem}` };
      pending.push({ value: (value as Record<string, unknown>)[key], path: child });
    }
  }
  return null;
}

/**
 * Rejects unsafe input (see `findUnsafeInput`) in the path parameters, the query string and the parsed
 * body of every route, before guards, interceptors or validation see it: `400 VALIDATION_FAILED` naming
 * the field. A Fastify hook rather than a Nest pipe, so that routes outside Nest's pipeline are covered
 * and nothing that walks the input runs first.
 */
export function registerInputGuard(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    const issue =
      findUnsafeInput(request.params, 'params') ??
      findUnsafeInput(request.query, 'query') ??
      findUnsafeInput(request.body, 'body');
    if (!issue) {
      done();
      return;
    }
    // Answered here, not thrown: outside Nest's routes a thrown error would meet Fastify's 500 handler.
    void sendProblem(request, reply, new ValidationFailed([issue]).toContract());
  });
}
