import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from '../errors/domain-error.js';
import { sendProblem } from './problem-reply.js';

/**
 * Bounds on the shape of any input, checked before anything else walks it. Ficus's deepest DTO is three
 * levels (order → items → item) with a few fields each, yet a 1 MiB body can hold what the validators
 * choke on: class-transformer and class-validator recurse (10,000 levels overflow the stack) and
 * class-transformer is quadratic in an object's keys (90,000 keys took 10 s of blocked event loop).
 * The limits leave ample room for any real request.
 */
export const INPUT_LIMITS = { depth: 32, entries: 1_000, values: 10_000 } as const;

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

/** A value met during the walk; its path is only spelled out when it is reported. */
interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | undefined;
  key: string;
}

function pathOf(visit: Visit): string[] {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) keys.push(at.key);
  return keys.reverse();
}

/**
 * Arrays and plain objects: what JSON and query-string parsers produce (fast-querystring's objects have
 * an empty prototype that itself has none). Anything else (a Buffer, a stream or file part a multipart
 * parser attaches) is not input text to walk, and may well be circular.
 */
function isJsonContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return true;
  return Object.getPrototypeOf(prototype) === null && Reflect.ownKeys(prototype).length === 0;
}

const shorten = (key: string) => (key.length > MAX_FIELD_CHARS ? `${key.slice(0, MAX_FIELD_CHARS)}…` : key);

/**
 * The first thing in a parsed input that no Ficus field may hold, whatever its DTO says: a string or key
 * that is not storable text (see `textProblem`), or a shape past `INPUT_LIMITS`. Iterative, so that the
 * check itself cannot overflow the stack it protects. `root` names the whole input when the problem is
 * the input itself (a body that is just a string).
 */
export function findUnsafeInput(input: unknown, root: string, limits = INPUT_LIMITS): InputIssue | null {
  const fieldOf = (visit: Visit) => pathOf(visit).map(shorten).join('.') || root;
  const pending: Visit[] = [{ value: input, depth: 0, parent: undefined, key: '' }];
  let values = 0;
  while (pending.length) {
    const visit = pending.pop()!;
    const { value } = visit;
    if (++values > limits.values) return { field: root, message: `${root} holds more than ${limits.values} values` };
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { field: fieldOf(visit), message: `${fieldOf(visit)} ${problem}` };
      continue;
    }
    if (!isJsonContainer(value)) continue;
    if (visit.depth >= limits.depth) {
      const top = shorten(pathOf(visit)[0]!);
      return { field: top, message: `${top} is nested more than ${limits.depth} levels deep` };
    }
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    const size = keys ? keys.length : (value as unknown[]).length;
    if (size > limits.entries) {
      const field = fieldOf(visit);
      return { field, message: `${field} has more than ${limits.entries} ${keys ? 'fields' : 'items'}` };
    }
    for (let i = 0; i < size; i++) {
      const key = keys ? keys[i]! : String(i);
      const child: Visit = {
        value: (value as Record<string, unknown>)[key],
        depth: visit.depth + 1,
        parent: visit,
        key,
      };
      const problem = keys ? textProblem(key) : undefined;
      if (problem) return { field: fieldOf(child), message: `field names ${problem}` };
      pending.push(child);
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
