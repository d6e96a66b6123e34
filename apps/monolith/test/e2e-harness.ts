import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { createApp } from '../src/app.factory.js';

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real monolith on a random local port, against its own fresh database. */
export async function startTestApp(label: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const db = await createTestDatabase(label);
  await useTestEnv(db.url, env);
  const app = await createApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  return {
    app,
    url,
    db,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

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
