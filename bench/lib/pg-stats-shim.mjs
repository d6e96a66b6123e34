// Preloaded (`node --import`) into the Ficus processes of the orders section (bench/orders.mjs): counts the
// Postgres round trips a process makes, by statement kind ("INSERT ordering.outbox", "BEGIN"…), with the
// time each took from the call to its answer (including the wait behind earlier queries on the same
// connection), and how long the process waited for a pooled connection. Nothing else changes: it wraps
// `pg.Client.prototype.query` and `pg.Pool.prototype.connect` of the one `pg` module the app uses.
//
// On a line `pg-stats` on its stdin (the runner holds that pipe; lib/orphan-guard.mjs watches it too) it
// writes one line to stderr: `ficus-bench-pg-stats <JSON>`, cumulative since start. Signals are no use
// here: Nest's enableShutdownHooks() treats SIGUSR2 as a shutdown signal.
import pg from 'pg';

const statements = new Map(); // kind → { n, ns }
// SQL text → kind: the app sends the same few texts over and over, and parsing each one every time cost
// ~5 % of the monolith's CPU under the orders load (measured by the process itself would be distorted).
const kinds = new Map();
const KINDS_MAX = 10_000;

function kindOf(text) {
  let kind = kinds.get(text);
  if (kind === undefined) {
    kind = statementKind(text);
    if (kinds.size >= KINDS_MAX) kinds.clear();
    kinds.set(text, kind);
  }
  return kind;
}
const connect = { n: 0, ns: 0n, maxNs: 0n };

/** "VERB schema.table" from the SQL text (the first table named after FROM / INTO / UPDATE outside subqueries). */
export function statementKind(text) {
  if (typeof text !== 'string') return 'other';
  const sql = text.replace(/\s+/g, ' ').trim();
  const verb = (sql.match(/^\w+/)?.[0] ?? '?').toUpperCase();
  if (['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'].includes(verb)) {
    return verb === 'START' ? 'BEGIN' : verb;
  }
  // `WITH u AS (UPDATE t … RETURNING 1) SELECT count(*) FROM u`: the CTE's statement is the real one — the
  // first data-modifying one (a batch statement starts `WITH v AS (SELECT * FROM unnest(…))`), else the first.
  const cte = (kinds) => sql.match(new RegExp(`\\bAS \\(\\s*((?:${kinds})\\b.*)$`, 'i'))?.[1];
  const main = verb === 'WITH' ? (cte('INSERT|UPDATE|DELETE') ?? cte('SELECT') ?? sql) : sql;
  const mainVerb = (main.match(/^\w+/)?.[0] ?? verb).toUpperCase();
  // Subqueries out, so the statement's own table is the first one named.
  let flat = main;
  for (let prev = ''; prev !== flat;) [prev, flat] = [flat, flat.replace(/\([^()]*\)/g, '_')];
  const table = flat.match(/\b(?:FROM|INTO|UPDATE)\s+("?[\w]+"?(?:\."?[\w]+"?)?)/i)?.[1]?.replace(/"/g, '');
  const fn = !table && main.match(/^SELECT\s+([\w.]+)\s*\(/i)?.[1];
  const lock = /\bFOR (UPDATE|SHARE|NO KEY UPDATE)\b/i.test(main) ? ' FOR UPDATE' : '';
  return `${verb === 'WITH' ? 'WITH…' : ''}${mainVerb} ${table ?? (fn ? `${fn}()` : '-')}${lock}`;
}

function record(kind, started) {
  const elapsed = process.hrtime.bigint() - started;
  const stat = statements.get(kind);
  if (stat) {
    stat.n++;
    stat.ns += elapsed;
  } else statements.set(kind, { n: 1, ns: elapsed });
}

const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const kind = kindOf(text);
  const started = process.hrtime.bigint();
  const done = () => record(kind, started);
  if (typeof callback === 'function') {
    return originalQuery.call(this, config, values, (...args) => {
      done();
      callback(...args);
    });
  }
  if (typeof values === 'function') {
    return originalQuery.call(this, config, (...args) => {
      done();
      values(...args);
    });
  }
  const result = originalQuery.call(this, config, values);
  if (result && typeof result.then === 'function') result.then(done, done);
  else if (config && typeof config.submit === 'function' && typeof config.on === 'function') {
    config.on('end', done);
    config.on('error', done);
  }
  return result;
};

const originalConnect = pg.Pool.prototype.connect;
pg.Pool.prototype.connect = function connectToPool(callback) {
  const started = process.hrtime.bigint();
  const done = () => {
    const elapsed = process.hrtime.bigint() - started;
    connect.n++;
    connect.ns += elapsed;
    if (elapsed > connect.maxNs) connect.maxNs = elapsed;
  };
  if (typeof callback === 'function') {
    return originalConnect.call(this, (...args) => {
      done();
      callback(...args);
    });
  }
  const result = originalConnect.call(this);
  result.then(done, done);
  return result;
};

function snapshot() {
  const ms = (ns) => Math.round(Number(ns) / 1e4) / 100;
  return {
    statements: Object.fromEntries([...statements].map(([kind, s]) => [kind, { n: s.n, ms: ms(s.ns) }])),
    poolConnect: { n: connect.n, ms: ms(connect.ns), maxMs: ms(connect.maxNs) },
  };
}

if (!process.stdin.isTTY) {
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    let index;
    while ((index = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, index).trim();
      buffered = buffered.slice(index + 1);
      if (line === 'pg-stats') process.stderr.write(`ficus-bench-pg-stats ${JSON.stringify(snapshot())}\n`);
    }
  });
}
