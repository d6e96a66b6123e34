import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import type { ContextName } from '@ficus/contracts';
import { bootstrapContextHost } from '@ficus/platform';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { createApp } from '../src/app.factory.js';
import { CONTEXT_MODULES } from '../src/app.module.js';

export interface RunningApp {
  app: NestFastifyApplication;
  /** The context hosts of the extracted contexts that are running, by context. */
  hosts: Map<ContextName, INestApplication>;
  url: string;
  db: TestDatabase;
  /** Starts the host of an extracted context (one that was not started, or was closed). */
  startHost(context: ContextName): Promise<INestApplication>;
  close(): Promise<void>;
}

/**
 * Which process comes up first when contexts are extracted. Any order must work: `hosts-first` is the
 * tidy deployment, `facade-first` the one where the API is up (and requests wait) before the contexts.
 */
export type StartOrder = 'hosts-first' | 'facade-first' | 'no-hosts';

/**
 * The real monolith on a random local port, against its own fresh database. With `extracted`, those
 * contexts run in their own context hosts (as `npm run start:extracted` would, here in the test process,
 * started in a shuffled order) and the monolith reaches them over the Redis transport: the same suite then
 * proves both modes. `no-hosts` starts none of them (a test starts them with `startHost`).
 */
export async function startTestApp(
  label: string,
  env: Record<string, string> = {},
  extracted: ContextName[] = [],
  order: StartOrder = 'hosts-first',
): Promise<RunningApp> {
  const db = await createTestDatabase(label);
  await useTestEnv(db.url, { ...env, HEALTH_PORT: '0' });
  const hosts = new Map<ContextName, INestApplication>();
  const startHost = async (context: ContextName) => {
    const host = await bootstrapContextHost({ context, module: CONTEXT_MODULES[context]! });
    hosts.set(context, host);
    return host;
  };
  const startHosts = async () => {
    for (const context of shuffled(extracted)) await startHost(context);
  };
  if (order === 'hosts-first') await startHosts();
  process.env.FICUS_REMOTE_CONTEXTS = extracted.join(',');
  const app = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  if (order === 'facade-first') await startHosts();
  return {
    app,
    hosts,
    url,
    db,
    startHost,
    close: async () => {
      await app.close();
      for (const host of hosts.values()) await host.close().catch(() => undefined);
      await db.drop();
    },
  };
}

/** Fisher–Yates; the order is logged so a failure that depends on it can be replayed. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  if (copy.length > 1) process.stdout.write(`context hosts start in this order: ${copy.join(', ')}\n`);
  return copy;
}

/** Every context this build has, all extracted at once. */
export const ALL_CONTEXTS = Object.keys(CONTEXT_MODULES) as ContextName[];

/**
 * The transport modes every context's e2e suite runs in: in-process, and every built context extracted at
 * the same time, with the facade up before its contexts and the reverse.
 */
export const E2E_MODES: { name: string; extracted: ContextName[]; order: StartOrder }[] = [
  { name: 'in-process', extracted: [], order: 'hosts-first' },
  { name: 'all contexts extracted, hosts first', extracted: ALL_CONTEXTS, order: 'hosts-first' },
  { name: 'all contexts extracted, facade first', extracted: ALL_CONTEXTS, order: 'facade-first' },
];

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch with JSON in and out; `raw` sends a body as-is (for malformed-input tests). */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON; keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

let counter = 0;
export const uniqueEmail = (tag = 'user') => `${tag}.${process.pid}.${Date.now()}.${counter++}@example.com`;
