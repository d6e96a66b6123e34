// Verdicts and the printed tables.

const BASELINE = 'bare-health';

/** Adds ratio, target text and PASS / MISS / ERROR to every scenario and check result. */
export function evaluate(results, scenarios, checks) {
  const byId = Object.fromEntries(results.scenarios.map((s) => [s.id, s]));
  for (const scenario of scenarios) {
    const r = byId[scenario.id];
    if (!r) continue;
    const ratioTo = scenario.targets?.minRatio?.to ?? BASELINE;
    const base = byId[ratioTo];
    r.ratio = r.load && base?.load ? r.load.reqPerSec / base.load.reqPerSec : null;
    r.ratioTo = ratioTo;
    const bare = byId[BASELINE];
    r.ratioToBare = r.load && bare?.load ? r.load.reqPerSec / bare.load.reqPerSec : null;
    const targets = [];
    const misses = [];
    if (scenario.targets?.minRatio) {
      const { ratio } = scenario.targets.minRatio;
      targets.push(`≥ ${ratio}× ${ratioTo}`);
      if (!base) misses.push(`${ratioTo} not in this run`);
      else if (r.ratio === null || r.ratio < ratio) misses.push('throughput');
    }
    if (scenario.targets?.maxP99Ms !== undefined) {
      targets.push(`p99 < ${scenario.targets.maxP99Ms} ms`);
      if (!r.load || !(r.load.latencyMs.p99 < scenario.targets.maxP99Ms)) misses.push('p99');
    }
    r.target = targets.join(', ') || (scenario.id === ratioTo ? 'baseline' : '—');
    r.missed = misses;
    r.verdict = r.error ? 'ERROR' : targets.length ? (misses.length ? 'MISS' : 'PASS') : '—';
  }
  results.checks = checks.map((check) => {
    let value = null;
    let error;
    try {
      value = check.value(results);
    } catch (e) {
      error = e.message;
    }
    const targets = [];
    let missed = false;
    if (check.max !== undefined) {
      targets.push(`< ${check.max} ${check.unit}`);
      if (value === null || !(value < check.max)) missed = true;
    }
    if (check.min !== undefined) {
      targets.push(`≥ ${check.min} ${check.unit}`);
      if (value === null || !(value >= check.min)) missed = true;
    }
    const verdict = value === null && targets.length ? 'ERROR' : targets.length ? (missed ? 'MISS' : 'PASS') : '—';
    return {
      id: check.id,
      name: check.name,
      value,
      unit: check.unit,
      detail: safe(() => check.detail?.(results)) || '',
      target: targets.join(', ') || check.note || '—',
      verdict,
      ...(error ? { error } : {}),
    };
  });
  return results;
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return '';
  }
}

export function printReport(results, out = process.stdout) {
  const w = (line = '') => out.write(`${line}\n`);
  w();
  w(
    `Ficus bench — ${results.startedAt} — Node ${results.env.node}, ${results.env.cpus} CPUs, ` +
      `${results.settings.connections} connections, ${results.settings.durationS} s (+${results.settings.warmupS} s warm-up)` +
      (results.settings.rounds > 1 ? `, best of ${results.settings.rounds} rounds` : ''),
  );
  w();
  const withSpread = results.scenarios.some((s) => s.spread);
  const scenarioRows = results.scenarios.map((s) => [
    s.name,
    s.load ? fmtInt(s.load.reqPerSec) : 'n/a',
    ...(withSpread ? [s.spread ? `${fmtInt(s.spread.reqPerSec[0])}–${fmtInt(s.spread.reqPerSec[1])}` : ''] : []),
    s.load ? fmtNum(s.load.latencyMs.p50) : 'n/a',
    s.load ? fmtNum(s.load.latencyMs.p99) : 'n/a',
    s.load ? String((s.load.status.unexpected ?? s.load.status.non2xx) + s.load.errors + s.load.timeouts) : 'n/a',
    s.ratioToBare === null || s.ratioToBare === undefined ? 'n/a' : `${s.ratioToBare.toFixed(2)}×`,
    s.ratioTo !== BASELINE && s.ratio !== null && s.ratio !== undefined ? `${s.ratio.toFixed(2)}× ${s.ratioTo}` : '',
    s.cpu?.serverCpuUsPerReq != null
      ? fmtInt(s.cpu.serverCpuUsPerReq) +
        (s.cpu.parts
          ? ` (${Object.values(s.cpu.parts)
              .map((p) => (p.cpuUsPerReq == null ? '?' : fmtInt(p.cpuUsPerReq)))
              .join(' + ')})`
          : '')
      : 'n/a',
    s.cpu ? `${s.cpu.serverCores ?? '?'}/${s.cpu.runnerCores}/${s.cpu.otherCores}` : 'n/a',
    s.target,
    s.verdict + (s.missed?.length ? ` (${s.missed.join(', ')})` : ''),
  ]);
  w(
    table(
      [
        'scenario',
        'req/s',
        ...(withSpread ? ['rounds range'] : []),
        'p50 ms',
        'p99 ms',
        'bad',
        'vs bare',
        'vs other',
        'srv CPU µs/req',
        'cores srv/ac/other',
        'target',
        'result',
      ],
      scenarioRows,
      [false, true, ...(withSpread ? [true] : []), true, true, true, true, false, true, true, false, false],
    ),
  );
  w();
  w('bad: responses with another status than the expected one (200, or 304 for the ETag row), errors, timeouts.');
  w('srv CPU µs/req: server process CPU time per request (less sensitive to noise than req/s); for the');
  w('identity-extracted row, the monolith plus the identity host (each in brackets).');
  w('cores: used during the measured run by the server / autocannon (this process) / everything else');
  w('(Postgres, Redis, other jobs on the machine). A large "other" on a scenario that uses neither means noise.');
  for (const s of results.scenarios) {
    // What the answers said (a scenario's tally): GET /v1/home, how many had every section, how many degraded.
    const tallies = (s.rounds ?? []).map((round) => round.load.answers).filter(Boolean);
    if (tallies.length) {
      const text = tallies
        .map((t) =>
          Object.entries(t)
            .map(([label, n]) => `${label} ${n}`)
            .join(', '),
        )
        .join(' | ');
      w(`${s.name}, answers under load: ${text}`);
    }
  }
  if (results.env.busyCoresBeforeStart > 0.25) {
    w(
      `WARNING: ${results.env.busyCoresBeforeStart} cores were busy with other work before the bench started: noisy run.`,
    );
  }
  const baseline = results.scenarios.find((s) => s.id === BASELINE);
  if (baseline?.cpu?.otherCores > 0.4) {
    w(
      `WARNING: other work used ${baseline.cpu.otherCores} cores during the baseline run: the ratios vs bare are unreliable.`,
    );
  }
  w();
  w(
    table(
      ['check', 'value', 'detail', 'target', 'result'],
      results.checks.map((c) => [
        c.name,
        c.value === null ? 'n/a' : `${fmtNum(c.value)} ${c.unit}`,
        c.detail,
        c.target,
        c.verdict,
      ]),
      [false, true, false, false, false],
    ),
  );
  for (const section of [results.events, results.orders]) {
    if (!section?.notes) continue;
    w();
    for (const line of section.notes) w(line);
  }
  w();
  const all = [...results.scenarios, ...results.checks];
  const count = (v) => all.filter((x) => x.verdict === v).length;
  w(
    `PASS ${count('PASS')}  MISS ${count('MISS')}  ERROR ${count('ERROR')}` +
      (results.errors.length ? '  — the bench itself broke, see above' : ''),
  );
}

function table(header, rows, rightAligned) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((cell, i) => (rightAligned[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function fmtInt(n) {
  return Math.round(n).toLocaleString('en-US');
}

function fmtNum(n) {
  if (typeof n !== 'number') return String(n);
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(n < 10 ? 2 : 1);
}
