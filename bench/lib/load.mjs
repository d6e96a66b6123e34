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
 * must have: `status.unexpected` counts the others. `setupRequest(req)` (optional) is called before every
 * request with autocannon's request options (method, path, headers, body) and returns them, changed: a
 * unique header per request, say. `onResponse(status, body)` (optional) sees every answer (to keep an
 * example of an unexpected one).
 */
export async function runLoad({
  url,
  method = 'GET',
  headers = {},
  body,
  durationS,
  connections = LOAD_DEFAULTS.connections,
  expectStatus = 200,
  setupRequest,
  onResponse,
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
    // Only the keys that are set: autocannon lets an undefined one override its default.
    ...(setupRequest || onResponse
      ? { requests: [{ ...(setupRequest && { setupRequest }), ...(onResponse && { onResponse }) }] }
      : {}),
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
