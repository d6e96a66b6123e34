import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ContextName } from '@ficus/contracts';
import { call, type JsonResponse, type RunningApp, uniqueEmail } from './e2e-harness.js';

const HOST_SCRIPT = new URL('./context-host.process.mjs', import.meta.url).pathname;

/** A context host in a child process (context-host.process.mjs), so a test can SIGSTOP and SIGCONT it. */
export interface HostProcess {
  child: ChildProcess;
  pause(): void;
  resume(): void;
  kill(): Promise<void>;
}

/** Starts `context`'s host with this process's (test) environment; resolves once it takes requests. */
export async function spawnContextHost(context: ContextName): Promise<HostProcess> {
  const child = spawn(process.execPath, [HOST_SCRIPT], {
    env: { ...process.env, HOST_CONTEXT: context, HEALTH_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (/^ready$/m.test(buffered)) resolve();
    });
    void exited.then(([code, signal]) => reject(new Error(`${context} host exited before ready (${code ?? signal})`)));
    setTimeout(() => reject(new Error(`${context} host not ready in 90 s`)), 90_000).unref();
  });
  return {
    child,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL'); // also ends a stopped process
      await exited;
    },
  };
}

/** A registered customer (identity knows them) with a real access token. */
export async function registeredCustomer(t: RunningApp) {
  const email = uniqueEmail('home');
  const res = await call(t.url, 'POST', '/v1/auth/register', {
    body: { email, password: 'correct horse battery', name: 'Home' },
  });
  expect(res.status).toBe(201);
  return { email, id: res.body.user.id as string, token: res.body.accessToken as string };
}

/** GET /v1/home, with how long it took. */
export async function getHome(t: RunningApp, token?: string): Promise<JsonResponse & { ms: number }> {
  const started = Date.now();
  const res = await call(t.url, 'GET', '/v1/home', { token });
  return { ...res, ms: Date.now() - started };
}
