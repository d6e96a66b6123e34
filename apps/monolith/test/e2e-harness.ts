import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import type { ContextName } from '@ficus/contracts';
import { bootstrapContextHost } from '@ficus/platform';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { createApp } from '../src/app.factory.js';
import { CONTEXT_MODULES } from '../src/app.module.js';

export interface RunningApp {
  app: NestFastifyApplication;
  /** The context hosts of the extracted contexts, by context. */
  hosts: Map<ContextName, INestApplication>;
  url: string;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real monolith on a random local port, against its own fresh database. With `extracted`, those
 * contexts run in their own context hosts (as `npm run start:extracted` would, here in the test process)
 * and the monolith reaches them over the Redis transport: the same suite then proves both modes.
 */
export async function startTestApp(
  label: string,
  env: Record<string, string> = {},
  extracted: ContextName[] = [],
): Promise<RunningApp> {
  const db = await createTestDatabase(label);
  await useTestEnv(db.url, { ...env, HEALTH_PORT: '0' });
  const hosts = new Map<ContextName, INestApplication>();
  for (const context of extracted) {
    hosts.set(context, await bootstrapContextHost({ context, module: CONTEXT_MODULES[context]! }));
  }
  process.env.FICUS_REMOTE_CONTEXTS = extracted.join(',');
  const app = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  return {
    app,
    hosts,
    url,
    db,
    close: async () => {
      await app.close();
      for (const host of hosts.values()) await host.close().catch(() => undefined);
      await db.drop();
    },
  };
}

/** The transport modes every context's e2e suite runs in. */
export const E2E_MODES: { name: string; extracted: ContextName[] }[] = [
  { name: 'in-process', extracted: [] },
  { name: 'extracted over Redis', extracted: ['identity'] },
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
