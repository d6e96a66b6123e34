// Load generation: autocannon, in the runner's process (the servers are children), the same settings for
// every scenario. A warm-up run first, thrown away.
import autocannon from 'autocannon';

export const LOAD_DEFAULTS = Object.freeze({ connections: 50, pipelining: 1, timeoutS: 10 });

let current = null;

function run(options) {
  return new Promise((resolve, reject) => {
    current = autocannon(options, (error, result) => {
      current = null;
      if (error) reject(error);
      else resolve(result);
    });
  });
}

/**
 * Runs `durationS` seconds of load against `url` and returns the numbers the report needs (plus the raw
 * autocannon summary for the JSON file). `expectStatus` (default 200) is the one status every response
 * must have: `status.unexpected` counts the others.
 */
export async function runLoad({
  url,
  method = 'GET',
  headers = {},
  body,
  durationS,
  connections = LOAD_DEFAULTS.connections,
  expectStatus = 200,
}) {
  const result = await run({
    url,
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    connections,
    pipelining: LOAD_DEFAULTS.pipelining,
    duration: durationS,
    timeout: LOAD_DEFAULTS.timeoutS,
  });
  return summarize(result, expectStatus);
}

/** Stops a load run in progress (Ctrl-C). */
export function stopLoad() {
  current?.stop?.();
}

function summarize(result, expectStatus) {
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]),
  );
  const unexpected = Object.entries(statusCodes)
    .filter(([code]) => Number(code) !== expectStatus)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    reqPerSec: result.requests.average,
    reqPerSecStddev: result.requests.stddev,
    totalRequests: result.requests.total,
    durationS: result.duration,
    latencyMs: {
      avg: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    throughputBytesPerSec: result.throughput.average,
    status: {
      expected: expectStatus,
      unexpected,
      codes: statusCodes,
      '2xx': result['2xx'],
      non2xx: result.non2xx,
      '3xx': result['3xx'],
      '4xx': result['4xx'],
      '5xx': result['5xx'],
    },
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
}
