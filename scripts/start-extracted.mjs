// Starts the host of an extracted context (apps/extracted/<context>, written by `npm run extract`):
//
//   HEALTH_PORT=3001 npm run start:extracted -- <context> [args...]
//
// `npm run start:extracted` builds first when sources changed (scripts/build-if-needed.mjs: one tsc
// build compiles the monolith and every host), then runs this script, which starts
// dist/apps/extracted/<context>/src/main.js with the same stdio and passes signals on to it.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

function extractedContexts() {
  const dir = join(ROOT, 'apps/extracted');
  return existsSync(dir) ? readdirSync(dir).filter((n) => existsSync(join(dir, n, 'src/main.ts'))) : [];
}

function usage() {
  const available = extractedContexts();
  return [
    'usage: npm run start:extracted -- <context> [args...]',
    '',
    'Runs dist/apps/extracted/<context>/src/main.js (the host `npm run extract -- <context>` created).',
    'Environment: the same DATABASE_URL, REDIS_URL and JWT settings as the monolith, HEALTH_PORT for its',
    '/health/live and /health/ready (3001 by default). Start the monolith with FICUS_REMOTE_CONTEXTS=<context>.',
    '',
    `extracted contexts: ${available.length ? available.join(', ') : 'none yet (npm run extract -- <context>)'}`,
  ].join('\n');
}

function main(argv) {
  const [name, ...rest] = argv;
  if (name === '-h' || name === '--help') {
    console.log(usage());
    return;
  }
  if (!name || !NAME_PATTERN.test(name)) {
    console.error(`start:extracted: ${name ? `"${name}" is not a context name` : 'name the context to start'}\n`);
    console.error(usage());
    process.exitCode = 2;
    return;
  }
  const entry = join(ROOT, 'dist/apps/extracted', name, 'src/main.js');
  if (!existsSync(entry)) {
    if (!existsSync(join(ROOT, 'apps/extracted', name, 'src/main.ts'))) {
      console.error(
        `start:extracted: "${name}" has no extracted host (apps/extracted/${name}/src/main.ts).\n` +
          `Extract it first: npm run extract -- ${name}`,
      );
    } else {
      console.error(
        `start:extracted: dist/apps/extracted/${name}/src/main.js is missing, although apps/extracted/${name} exists.\n` +
          'Build it with `npm run build` (and fix any compile error it reports), then try again.',
      );
    }
    process.exitCode = 1;
    return;
  }

  // Own process group: a Ctrl-C in the terminal reaches the child once, through the forwarding below,
  // rather than twice (directly and forwarded), which would cut its graceful shutdown short.
  const child = spawn(process.execPath, [entry, ...rest], { cwd: ROOT, stdio: 'inherit', detached: true });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of SIGNALS) process.on(signal, forward);
  // If this script exits for any other reason, do not leave the host running without a parent.
  process.on('exit', () => forward('SIGTERM'));
  child.on('error', (error) => {
    console.error(`start:extracted: could not start ${entry}: ${error.message}`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    for (const s of SIGNALS) process.off(s, forward);
    process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  });
}

main(process.argv.slice(2));
