// Child-process plumbing for the bench: spawn servers with the same Node binary as the runner, watch their
// output, wait for readiness, read their memory, and make sure none outlives the runner.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ORPHAN_GUARD = fileURLToPath(new URL('./orphan-guard.mjs', import.meta.url));
const TAIL_LINES = 80;

/** Every child still running; killed on exit whatever happens. */
const running = new Set();

export function log(message) {
  process.stdout.write(`[bench] ${message}\n`);
}

export class BenchError extends Error {
  constructor(message, details) {
    super(message);
    this.name = 'BenchError';
    this.details = details;
  }
}

/** A port nobody listens on right now (the OS picks it; the child binds it a moment later). */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <args>` as a child. The environment is minimal on purpose (no stray DATABASE_URL or
 * FICUS_* from the caller's shell): PATH/HOME/locale plus `env`.
 */
export function spawnNode({ name, args, nodeArgs = [], env = {}, cwd }) {
  const baseEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ']) {
    if (process.env[key] !== undefined) baseEnv[key] = process.env[key];
  }
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--import', ORPHAN_GUARD, ...args], {
    cwd,
    env: { ...baseEnv, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);

  const tail = [];
  const lineListeners = new Set();
  const remember = (stream) => (line) => {
    tail.push(`${stream}: ${line}`);
    if (tail.length > TAIL_LINES) tail.shift();
    for (const listener of lineListeners) listener(line, stream);
  };
  splitLines(child.stdout, remember('out'));
  splitLines(child.stderr, remember('err'));

  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      running.delete(child);
      resolve(exitInfo);
    });
  });
  child.once('error', (error) => {
    tail.push(`spawn error: ${error.message}`);
  });

  return {
    name,
    pid: child.pid,
    child,
    spawnedAt,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    tail: () => tail.join('\n'),
    /** Resolves with the first line matching `predicate` (already-seen lines are not replayed). */
    waitForLine(predicate, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => finish(null), timeoutMs);
        const listener = (line, stream) => {
          if (predicate(line, stream)) finish(line);
        };
        function finish(value) {
          clearTimeout(timer);
          lineListeners.delete(listener);
          resolve(value);
        }
        lineListeners.add(listener);
        exited.then(() => finish(null));
      });
    },
    onLine(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
    /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
    async stop(graceMs = 8000) {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
  };
}

function splitLines(stream, onLine) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    let index;
    while ((index = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, index));
      buffered = buffered.slice(index + 1);
    }
    if (buffered.length > 64 * 1024) {
      onLine(buffered);
      buffered = '';
    }
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
  });
}

/** Last resort: whatever is still running when the runner exits gets SIGKILL (synchronous, by pid). */
export function killAllChildrenNow() {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

export function runningChildren() {
  return [...running];
}

/** One HTTP request with a fresh connection; resolves `{ status, body, headers }`. */
export function request(url, { method = 'GET', headers = {}, body, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * Polls `url` until it answers 200, measuring from the child's spawn (wall clock, runner side).
 * Fails when the child exits first or `timeoutMs` passes.
 */
export async function waitForHttp200(handle, url, { timeoutMs = 30_000, intervalMs = 10 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (handle.exitInfo) {
      throw new BenchError(`${handle.name} exited before it answered (${formatExit(handle.exitInfo)})`, handle.tail());
    }
    try {
      const res = await request(url, { timeoutMs: 1000 });
      if (res.status === 200) return performance.now() - handle.spawnedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      throw new BenchError(`${handle.name} did not answer 200 on ${url} within ${timeoutMs} ms`, handle.tail());
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Runs `node <args>` to completion (a CLI command), through spawnNode (same Node binary, orphan guard).
 * Resolves with the handle once it exited with code 0; rejects with its output otherwise, or when it takes
 * longer than `timeoutMs` (then it is killed).
 */
export async function runNodeCommand(options, { timeoutMs = 120_000 } = {}) {
  const handle = spawnNode(options);
  const timer = setTimeout(() => void handle.stop(2000), timeoutMs);
  const exit = await handle.exited;
  clearTimeout(timer);
  if (exit.code !== 0) {
    throw new BenchError(
      `${handle.name} failed (${formatExit(exit)}${exit.signal ? `, after ${timeoutMs} ms at most` : ''})`,
      handle.tail(),
    );
  }
  return handle;
}

export function formatExit({ code, signal }) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Resident and peak memory of a live process, in MiB, from /proc (Linux). */
export function readMemory(pid) {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // the process is gone
  }
  const kib = (field) => {
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'));
    return match ? Number(match[1]) : null;
  };
  const toMiB = (value) => (value === null ? null : Math.round((value / 1024) * 10) / 10);
  return { rssMiB: toMiB(kib('VmRSS')), peakRssMiB: toMiB(kib('VmHWM')) };
}

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** utime + stime of a live process in seconds, null when it is gone. */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S; // utime + stime
  } catch {
    return null;
  }
}

function machineCpuSeconds() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  return {
    busy: (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_S,
    idle: (idle + iowait) / CLOCK_TICKS_PER_S,
  };
}

/**
 * Where the CPU went during a measurement, in cores (1.0 = one core busy the whole time): the server (one
 * pid, or several summed: a monolith plus the context host it calls), this runner (autocannon), and
 * everything else on the machine (Postgres, Redis, other work). A large "other" outside Postgres/Redis-heavy
 * scenarios means the numbers are noisy.
 */
export function cpuMeter(pidOrPids) {
  const pids = Array.isArray(pidOrPids) ? pidOrPids : [pidOrPids];
  const serverSeconds = () => {
    let total = 0;
    for (const pid of pids) {
      const seconds = processCpuSeconds(pid);
      if (seconds === null) return null;
      total += seconds;
    }
    return total;
  };
  const start = {
    at: performance.now(),
    server: serverSeconds(),
    runner: process.cpuUsage(),
    machine: machineCpuSeconds(),
  };
  return () => {
    const seconds = (performance.now() - start.at) / 1000;
    const server = serverSeconds();
    const runner = process.cpuUsage(start.runner);
    const machine = machineCpuSeconds();
    const cores = (value) => Math.round((value / seconds) * 100) / 100;
    const busy = machine.busy - start.machine.busy;
    const serverCores = server === null || start.server === null ? null : cores(server - start.server);
    const runnerCores = cores((runner.user + runner.system) / 1e6);
    const busyCores = cores(busy);
    return {
      seconds: Math.round(seconds * 100) / 100,
      serverCpuSeconds:
        server === null || start.server === null ? null : Math.round((server - start.server) * 100) / 100,
      serverCores,
      runnerCores,
      machineBusyCores: busyCores,
      otherCores: Math.max(0, Math.round((busyCores - (serverCores ?? 0) - runnerCores) * 100) / 100),
    };
  };
}

/** How many cores the machine keeps busy over `ms` (before the bench starts anything: other work). */
export async function sampleMachineBusyCores(ms = 1000) {
  const start = machineCpuSeconds();
  const at = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const end = machineCpuSeconds();
  return Math.round(((end.busy - start.busy) / ((performance.now() - at) / 1000)) * 100) / 100;
}
