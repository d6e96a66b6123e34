// Media uploads (issue 10): a section of `npm run bench` (after the orders section; `BENCH_ONLY=media` runs it
// alone), or on its own: `npx node bench/media.mjs`.
//
// One monolith (every context in it) with a database, Redis prefix and storage directory of its own, and a
// user registered through the API. Images are made here with sharp: noise photos (codecs get real work),
// their size tuned to the target bytes.
// 1. memory, first, on the fresh process: see 4;
// 2. latency: BENCH_MEDIA_UPLOADS (30) uploads of a ~2 MB JPEG, one at a time: POST /v1/media → READY
//    (GET /v1/media/{id} polled every 10 ms), p50 / p99;
// 3. throughput: BENCH_MEDIA_BURST (40) uploads of the same JPEG, BENCH_MEDIA_CONCURRENCY (8) in flight:
//    assets READY per second, first POST → last READY, and variants per second (3 renditions per asset:
//    original re-encoded, thumb, medium);
// 4. memory: 20 uploads of ~8 MB at once (BENCH_MEDIA_BIG_UPLOADS), the monolith's RSS sampled every 20 ms
//    from /proc while the uploads stream, and on until every asset is READY. The target (< 300 MB while the
//    uploads run) is what shows uploads stream: 20 × 8 MB buffered would be 160 MB of bodies alone. Twice:
//    in-process (the same process also renders the variants, with sharp's native memory), and with media
//    extracted (`apps/extracted/media`), where the monolith only streams the uploads into storage; and
//    in-process again on a fresh monolith with MALLOC_ARENA_MAX=2 and --max-semi-space-size=2.
/* global FormData, Blob -- Node 18+ globals the bench lint config does not list */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { deleteRedisKeys, dropDatabase } from './lib/cleanup.mjs';
import { BenchError, cpuMeter, log, readMemory } from './lib/proc.mjs';
import { startContextHost, startFicus } from './lib/servers.mjs';

const MB = 1_000_000;
const envInt = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

export const mediaSettings = () => ({
  uploads: envInt('BENCH_MEDIA_UPLOADS', 30),
  burst: envInt('BENCH_MEDIA_BURST', 40),
  concurrency: envInt('BENCH_MEDIA_CONCURRENCY', 8),
  bigUploads: envInt('BENCH_MEDIA_BIG_UPLOADS', 20),
  rssTargetMiB: 300,
});

/** Bounded native and young-generation memory, the settings README recommends for processes hosting media. */
const TUNED = {
  env: { MALLOC_ARENA_MAX: '2' },
  nodeArgs: ['--max-semi-space-size=2'],
  describe: 'MALLOC_ARENA_MAX=2 --max-semi-space-size=2',
};

/** An upper bound of the section's wall time, for the runner's time limit. */
export const MEDIA_BUDGET_S = 600;

/** A noise JPEG of about `bytes` (within a few %): one trial, then the side scaled to the target. */
async function photo(bytes, quality) {
  const make = (width) =>
    sharp({
      create: {
        width,
        height: Math.round(width * 0.75),
        channels: 3,
        background: { r: 90, g: 140, b: 200 },
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality })
      .toBuffer();
  const trial = await make(1000);
  return make(Math.round(1000 * Math.sqrt(bytes / trial.length)));
}

async function expectJson(res, status, what) {
  const text = await res.text();
  if (res.status !== status)
    throw new BenchError(`${what}: expected ${status}, got ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const round1 = (n) => Math.round(n * 10) / 10;

/**
 * 20 uploads of ~8 MB at once; the RSS of each process in `pids` sampled every 20 ms while they stream, and
 * on until every asset is READY. `pids[0]` is the process that receives the uploads (the facade).
 */
async function measureMemory(label, pids, upload, ready, big, settings) {
  log(`media (${label}): ${settings.bigUploads} uploads of ${round1(big.length / MB)} MB at once, RSS sampled…`);
  const before = pids.map((pid) => readMemory(pid).rssMiB);
  let uploading = true;
  const samples = pids.map(() => ({ uploading: [], processing: [] }));
  const sampler = setInterval(() => {
    pids.forEach((pid, i) => {
      const { rssMiB } = readMemory(pid);
      if (rssMiB !== null) samples[i][uploading ? 'uploading' : 'processing'].push(rssMiB);
    });
  }, 20);
  const started = performance.now();
  try {
    const ids = await Promise.all(Array.from({ length: settings.bigUploads }, () => upload(big)));
    const uploadsS = (performance.now() - started) / 1000;
    uploading = false;
    await Promise.all(ids.map((id) => ready(id, 300_000)));
    const max = (list) => (list.length ? Math.max(...list) : null);
    const processes = samples.map((sample, i) => ({
      rssBeforeMiB: before[i],
      peakWhileUploadingMiB: max(sample.uploading),
      peakUntilReadyMiB: max([...sample.uploading, ...sample.processing]),
    }));
    const result = {
      label,
      uploads: ids.length,
      uploadBytes: big.length,
      facade: processes[0],
      mediaHost: processes[1] ?? null,
      uploadsSeconds: round1(uploadsS),
      allReadySeconds: round1((performance.now() - started) / 1000),
      targetMiB: settings.rssTargetMiB,
    };
    result.met =
      result.facade.peakWhileUploadingMiB !== null && result.facade.peakWhileUploadingMiB < settings.rssTargetMiB;
    log(
      `  receiving process: RSS ${result.facade.rssBeforeMiB} MiB before, peak ${result.facade.peakWhileUploadingMiB} MiB ` +
        `while uploading (${result.met ? 'met' : 'MISS'} < ${settings.rssTargetMiB}), ` +
        `${result.facade.peakUntilReadyMiB} MiB until all READY` +
        (result.mediaHost
          ? `; media host ${result.mediaHost.rssBeforeMiB} → peak ${result.mediaHost.peakUntilReadyMiB} MiB`
          : ''),
    );
    return result;
  } finally {
    clearInterval(sampler);
  }
}

export async function runMediaBench({ pgUrl, redisUrl, runId, jwtKeyFile, track = {} }) {
  const settings = mediaSettings();
  const databaseUrl = `${pgUrl}/ficus_bench_me_${runId}`;
  const storageDir = await mkdtemp(join(os.tmpdir(), 'ficus-bench-media-'));
  const ctx = { runId, databaseUrl, redisUrl, redisPrefix: `ficus-bench-me-${runId}`, jwtKeyFile };
  track.database?.(databaseUrl);
  track.redisPrefix?.(ctx.redisPrefix);
  const out = { database: databaseUrl.split('/').pop(), settings };
  let server;
  let host;
  try {
    log('media: making the test photos…');
    const [small, big] = await Promise.all([photo(2 * MB, 90), photo(8 * MB, 95)]);
    out.images = { smallBytes: small.length, bigBytes: big.length };
    log(`media: starting the monolith (storage ${storageDir})…`);
    server = await startFicus(ctx, { name: 'ficus-media', env: { STORAGE_DIR: storageDir } });
    track.process?.(server);
    let base = server.baseUrl;
    const email = `media.${runId}@example.com`;
    const registered = await expectJson(
      await fetch(`${base}/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'bench-password-123', name: 'Bench' }),
      }),
      201,
      'register',
    );
    const token = registered.accessToken;

    const upload = async (bytes) => {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg');
      const res = await fetch(`${base}/v1/media`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${token}` },
      });
      return (await expectJson(res, 202, 'POST /v1/media')).id;
    };
    const ready = async (id, timeoutMs = 120_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const asset = await expectJson(await fetch(`${base}/v1/media/${id}`), 200, 'GET /v1/media/{id}');
        if (asset.status === 'READY') return asset;
        if (asset.status === 'FAILED') throw new BenchError(`media ${id} FAILED`);
        if (Date.now() > until) throw new BenchError(`media ${id} still PROCESSING after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    // Memory first, on the fresh process (after one warm-up upload that loads sharp): what the later
    // phases leave in the allocator would otherwise count as the uploads' memory.
    await ready(await upload(small)); // warm-up: first sharp load, first queue job
    out.memory = await measureMemory('in-process', [server.pid], upload, ready, big, settings);

    log(`media: ${settings.uploads} uploads of ${round1(small.length / MB)} MB, one at a time, upload → READY…`);
    const latencies = [];
    const stopCpu = cpuMeter([server.pid]);
    for (let i = 0; i < settings.uploads; i++) {
      const started = performance.now();
      await ready(await upload(small));
      latencies.push(performance.now() - started);
    }
    const sequentialCpu = stopCpu();
    latencies.sort((a, b) => a - b);
    out.latency = {
      uploads: latencies.length,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(latencies.at(-1)),
      // The monolith's CPU per asset (upload, sniffing, sharp for three renditions, the polling GETs).
      cpuMsPerAsset:
        sequentialCpu.serverCpuSeconds === null
          ? null
          : Math.round((sequentialCpu.serverCpuSeconds * 1000) / latencies.length),
      cpu: sequentialCpu,
    };
    log(`  upload → READY p50 ${out.latency.p50Ms} ms, p99 ${out.latency.p99Ms} ms`);

    log(`media: ${settings.burst} uploads, ${settings.concurrency} at a time, until all are READY…`);
    const burstStart = performance.now();
    let next = 0;
    const ids = [];
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        while (next < settings.burst) {
          next++;
          ids.push(await upload(small));
        }
      }),
    );
    const uploadedS = (performance.now() - burstStart) / 1000;
    await Promise.all(ids.map((id) => ready(id)));
    const burstS = (performance.now() - burstStart) / 1000;
    out.throughput = {
      assets: ids.length,
      uploadsPerSec: round1(ids.length / uploadedS),
      seconds: round1(burstS),
      readyPerSec: round1(ids.length / burstS),
      variantsPerSec: round1((3 * ids.length) / burstS),
    };
    log(`  ${out.throughput.readyPerSec} assets READY/s = ${out.throughput.variantsPerSec} variants/s`);

    // The same 20 uploads on fresh processes: with the allocator and young generation bounded
    // (MALLOC_ARENA_MAX=2 for libvips' threads, --max-semi-space-size=2), then with media in its own process,
    // where the monolith only streams bytes to storage (the facade's half of an upload) and the host renders.
    await server.stop(5000);
    server = null;
    log(`media: a fresh monolith with ${TUNED.describe}…`);
    server = await startFicus(ctx, {
      name: 'ficus-media-tuned',
      env: { STORAGE_DIR: storageDir, ...TUNED.env },
      nodeArgs: TUNED.nodeArgs,
    });
    track.process?.(server);
    base = server.baseUrl;
    await ready(await upload(small));
    out.memoryTuned = await measureMemory(`in-process, ${TUNED.describe}`, [server.pid], upload, ready, big, settings);
    await server.stop(5000);
    server = null;
    log('media: starting the media host, then the monolith with FICUS_REMOTE_CONTEXTS=media…');
    host = await startContextHost(ctx, 'media', { env: { STORAGE_DIR: storageDir } });
    track.process?.(host);
    server = await startFicus(ctx, {
      name: 'ficus-media-facade',
      env: { STORAGE_DIR: storageDir, FICUS_REMOTE_CONTEXTS: 'media' },
    });
    track.process?.(server);
    base = server.baseUrl;
    await ready(await upload(small));
    out.memoryExtracted = await measureMemory('media extracted', [server.pid, host.pid], upload, ready, big, settings);
    return out;
  } finally {
    await server?.stop(5000).catch(() => undefined);
    await host?.stop(5000).catch(() => undefined);
    await rm(storageDir, { recursive: true, force: true });
    await dropDatabase(databaseUrl).catch((error) => log(`media: could not drop ${databaseUrl}: ${error.message}`));
    await deleteRedisKeys(redisUrl, ctx.redisPrefix).catch((error) =>
      log(`media: could not delete Redis keys ${ctx.redisPrefix}:*: ${error.message}`),
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${process.pid}`;
  const tmp = await mkdtemp(join(os.tmpdir(), 'ficus-bench-media-keys-'));
  try {
    const result = await runMediaBench({
      pgUrl: (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, ''),
      redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      runId,
      jwtKeyFile: join(tmp, 'jwt-es256.json'),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const memoryDetail = (m) =>
  m
    ? `${m.uploads} × ${round1(m.uploadBytes / MB)} MB at once; before ${m.facade.rssBeforeMiB} MiB, ` +
      `peak until all READY ${m.facade.peakUntilReadyMiB} MiB` +
      (m.mediaHost ? `; media host ${m.mediaHost.rssBeforeMiB} → ${m.mediaHost.peakUntilReadyMiB} MiB` : '')
    : '';

/** The section's rows in the runner's check table. */
export const mediaChecks = [
  {
    id: 'media-ready-p50',
    name: 'Media: 2 MB JPEG upload → READY, p50 / p99 (in-process, one at a time)',
    unit: 'ms',
    applies: (r) => r.media !== undefined,
    value: (r) => r.media?.latency?.p50Ms ?? null,
    detail: (r) =>
      r.media?.latency
        ? `p99 ${r.media.latency.p99Ms} ms; ${r.media.latency.cpuMsPerAsset} ms of monolith CPU per asset`
        : '',
    note: 'informational',
  },
  {
    id: 'media-variants-rate',
    name: 'Media: variants/s (2 MB JPEGs, 8 uploads in flight, 3 renditions each)',
    unit: 'variants/s',
    applies: (r) => r.media !== undefined,
    value: (r) => r.media?.throughput?.variantsPerSec ?? null,
    detail: (r) =>
      r.media?.throughput
        ? `${r.media.throughput.assets} assets READY in ${r.media.throughput.seconds} s; uploads accepted at ` +
          `${r.media.throughput.uploadsPerSec}/s`
        : '',
    note: 'informational',
  },
  {
    id: 'media-rss-in-process',
    name: 'Media: RSS while 20 uploads of 8 MB run (in-process, also rendering)',
    unit: 'MiB',
    applies: (r) => r.media !== undefined,
    value: (r) => r.media?.memory?.facade.peakWhileUploadingMiB ?? null,
    detail: (r) => memoryDetail(r.media?.memory),
    max: 300,
  },
  {
    id: 'media-rss-tuned',
    name: `Media: same, ${TUNED.describe}`,
    unit: 'MiB',
    applies: (r) => r.media !== undefined,
    value: (r) => r.media?.memoryTuned?.facade.peakWhileUploadingMiB ?? null,
    detail: (r) => memoryDetail(r.media?.memoryTuned),
    max: 300,
  },
  {
    id: 'media-rss-extracted',
    name: 'Media: same, media extracted (the monolith only streams to storage)',
    unit: 'MiB',
    applies: (r) => r.media !== undefined,
    value: (r) => r.media?.memoryExtracted?.facade.peakWhileUploadingMiB ?? null,
    detail: (r) => memoryDetail(r.media?.memoryExtracted),
    max: 300,
  },
];
