// Splits a .cpuprofile (main thread) into Ficus's layers: every sample is charged to the nearest frame on
// its stack that belongs to a package or a Ficus source area, and that package to a layer. Native frames
// (socket writes, crypto jobs) are charged to the JS that called them. Idle time is left out.
//
//   npx node bench/investigate/attribute.mjs <file.cpuprofile> [server CPU µs per request]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAYERS = [
  ['helmet (@fastify/helmet → helmet() per request)', /^(helmet|@fastify\/helmet)$/],
  ['CORS (@fastify/cors)', /^@fastify\/cors$/],
  [
    'logging (pino, request context hooks; nestjs-pino / middie before)',
    /^(pino|pino-http|nestjs-pino|@pinojs\/redact|pino-std-serializers|fast-redact|@fastify\/middie|sonic-boom|thread-stream|ficus:libs\/platform\/src\/logging)$/,
  ],
  [
    'request id + metrics hooks (prom-client)',
    /^(prom-client|ficus:libs\/platform\/src\/metrics|ficus:libs\/platform\/src\/http|tdigest|bintrees)$/,
  ],
  ['JWT verify (jose, WebCrypto ES256)', /^(jose|ficus:libs\/platform\/src\/auth)$/],
  [
    'throttler guard + Redis EVAL (ioredis)',
    /^(@nestjs\/throttler|ioredis|redis-parser|ficus:apps\/monolith\/src\/http\/rate-limit|denque|cluster-key-slot|standard-as-callback)$/,
  ],
  ['other facade code (auth/roles guards, controllers)', /^ficus:apps\/monolith\/src\/http\/(auth|identity|docs|.*)$/],
  [
    'in-process transport (@nestjs/microservices, JSON wire copy)',
    /^(@nestjs\/microservices|ficus:libs\/platform\/src\/messaging|ficus:libs\/contracts\/src\/.*)$/,
  ],
  [
    'identity context + TypeORM',
    /^(typeorm|ficus:libs\/identity\/src\/.*|@nestjs\/typeorm|@nestjs\/cqrs|app-root-path|dayjs|uuid)$/,
  ],
  [
    'pg driver (queries, socket I/O)',
    /^(pg|pg-protocol|pg-pool|pg-types|postgres-date|postgres-array|postgres-bytea|postgres-interval|pgpass|pg-connection-string|pg-cloudflare)$/,
  ],
  [
    'validation pipe (class-validator/-transformer)',
    /^(class-validator|class-transformer|validator|libphonenumber-js)$/,
  ],
  [
    'Nest core (router, guard/pipe consumers, DI, rxjs)',
    /^(@nestjs\/core|@nestjs\/common|reflect-metadata|@nestjs\/platform-fastify|rxjs|tslib)$/,
  ],
  [
    'Fastify + Node HTTP (parse, route, headers, socket write)',
    /^(fastify|find-my-way|light-my-request|fast-json-stringify|@fastify\/.*|avvio|toad-cache|fast-querystring|safe-regex2|ret|abstract-logging|secure-json-parse|fast-decode-uri-component|process-warning|rfdc|json-schema-ref-resolver)$/,
  ],
  [
    'background (outbox relay, health, metrics collection)',
    /^ficus:libs\/platform\/src\/(outbox|health|database|redis)$/,
  ],
];

function packageOf(callFrame) {
  const url = callFrame.url || '';
  let match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (match) return match[1];
  match = url.match(/dist\/(libs\/[^/]+\/src\/[^/]+|apps\/[^/]+\/src\/[^/]+(?:\/[^/]+)?)/);
  if (match) return `ficus:${match[1]}`;
  return null;
}

/** `[{ layer, share }]`, shares of non-idle main-thread time, largest first. */
export function attribute(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const weights = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    let id = profile.samples[i];
    const leaf = nodes.get(id).callFrame.functionName;
    if (leaf === '(idle)') continue;
    total += dt;
    let layer =
      leaf === '(garbage collector)' ? 'V8 garbage collector' : leaf === '(program)' ? 'V8/native, unattributed' : null;
    while (!layer && id !== undefined) {
      const pkg = packageOf(nodes.get(id).callFrame);
      if (pkg) layer = LAYERS.find(([, re]) => re.test(pkg))?.[0] ?? `other: ${pkg}`;
      id = parent.get(id);
    }
    layer ??= 'Node internals (timers, microtasks, no package on stack)';
    weights.set(layer, (weights.get(layer) ?? 0) + dt);
  }
  return {
    sampledSeconds: total / 1e6,
    layers: [...weights].map(([layer, t]) => ({ layer, share: t / total })).sort((a, b) => b.share - a.share),
  };
}

export function formatAttribution({ sampledSeconds, layers }, usPerReq) {
  const lines = [`non-idle main-thread time sampled: ${sampledSeconds.toFixed(2)} s`];
  for (const { layer, share } of layers) {
    if (share < 0.003) continue;
    const us = usPerReq ? `${String(Math.round(share * usPerReq)).padStart(6)} µs/req` : '';
    lines.push(`${(100 * share).toFixed(1).padStart(5)}% ${us}  ${layer}`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, usPerReq] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: npx node bench/investigate/attribute.mjs <file.cpuprofile> [µs per request]\n');
    process.exit(1);
  }
  process.stdout.write(
    `${formatAttribution(attribute(JSON.parse(readFileSync(file, 'utf8'))), Number(usPerReq) || 0)}\n`,
  );
}
