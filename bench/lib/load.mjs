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
 * autocannon summary for the JSON file).
 */
export async function runLoad({
  url,
  method = 'GET',
  headers = {},
  body,
  durationS,
  connections = LOAD_DEFAULTS.connections,
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
  return summarize(result);
}

/** Stops a load run in progress (Ctrl-C). */
export function stopLoad() {
  current?.stop?.();
}

function summarize(result) {
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
    status: { '2xx': result['2xx'], non2xx: result.non2xx, '4xx': result['4xx'], '5xx': result['5xx'] },
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
}
