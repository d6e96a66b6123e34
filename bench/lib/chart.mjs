// The bench's figures as data (figures.json) and as a chart (chart.svg) that the README shows: one row per
// target, the measured value as a bar and the target as a tick, each row on its own scale (a ratio, a
// latency, a size), green when met, red when missed, grey when informational.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (n) => (n === null || n === undefined ? null : Math.round(n * 1000) / 1000);

/** Every measured figure that has a target (and the informational ones with a value), flat. */
export function buildFigures(results, scenarios, checks) {
  const figures = [];
  const byId = Object.fromEntries(results.scenarios.map((s) => [s.id, s]));
  for (const scenario of scenarios) {
    const r = byId[scenario.id];
    if (!r?.load) continue;
    const minRatio = scenario.targets?.minRatio;
    if (minRatio) {
      figures.push({
        id: `${scenario.id}:ratio`,
        name: `${scenario.name} — req/s vs ${minRatio.to}`,
        value: round(r.ratio),
        unit: '×',
        target: { min: minRatio.ratio },
        met: r.ratio !== null && r.ratio >= minRatio.ratio,
        extra: { reqPerSec: Math.round(r.load.reqPerSec), serverCpuUsPerReq: r.cpu?.serverCpuUsPerReq ?? null },
      });
    }
    if (scenario.targets?.maxP99Ms !== undefined) {
      figures.push({
        id: `${scenario.id}:p99`,
        name: `${scenario.name} — p99`,
        value: r.load.latencyMs.p99,
        unit: 'ms',
        target: { max: scenario.targets.maxP99Ms },
        met: r.load.latencyMs.p99 < scenario.targets.maxP99Ms,
      });
    }
    if (!scenario.targets) {
      figures.push({
        id: `${scenario.id}:reqPerSec`,
        name: `${scenario.name} — req/s`,
        value: Math.round(r.load.reqPerSec),
        unit: 'req/s',
        target: null,
        met: null,
        extra: { serverCpuUsPerReq: r.cpu?.serverCpuUsPerReq ?? null },
      });
    }
  }
  for (const check of checks) {
    const evaluated = results.checks.find((c) => c.id === check.id);
    if (!evaluated || evaluated.value === null || evaluated.value === undefined) continue;
    const target = check.max !== undefined ? { max: check.max } : check.min !== undefined ? { min: check.min } : null;
    if (!target) continue; // informational checks stay in latest.json
    figures.push({
      id: check.id,
      name: check.name,
      value: round(evaluated.value),
      unit: check.unit,
      target,
      met: evaluated.verdict === 'PASS',
    });
  }
  return figures;
}

/** An SVG of the figures (self-contained, no script, readable on GitHub). */
export function renderChart(figures, { title, subtitle }) {
  const rowH = 26;
  const labelW = 470;
  const barW = 300;
  const textW = 230;
  const top = 62;
  const width = labelW + barW + textW + 20;
  const height = top + figures.length * rowH + 30;
  const rows = figures.map((f, i) => {
    const y = top + i * rowH;
    const targetValue = f.target ? (f.target.min ?? f.target.max) : null;
    const scale = Math.max(f.value ?? 0, targetValue ?? 0) * 1.15 || 1;
    const w = Math.max(1, ((f.value ?? 0) / scale) * barW);
    const color = f.met === null ? '#9e9e9e' : f.met ? '#2e7d32' : '#c62828';
    const tick =
      targetValue === null
        ? ''
        : `<line x1="${labelW + (targetValue / scale) * barW}" x2="${labelW + (targetValue / scale) * barW}" y1="${y - 2}" y2="${y + rowH - 8}" stroke="#000" stroke-width="2"/>`;
    const targetText = f.target ? (f.target.min !== undefined ? `≥ ${f.target.min}` : `< ${f.target.max}`) : null;
    const value =
      f.value === null ? 'n/a' : `${Number(f.value).toLocaleString('en-US', { maximumFractionDigits: 2 })} ${f.unit}`;
    return [
      `<text x="${labelW - 8}" y="${y + 13}" text-anchor="end">${esc(f.name)}</text>`,
      `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${color}" rx="2"/>`,
      tick,
      `<text x="${labelW + barW + 10}" y="${y + 13}">${esc(value)} ${targetText ? `(target ${esc(targetText)})` : '(informational)'}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>
<text x="10" y="42" fill="#555">${esc(subtitle)}</text>
${rows.join('\n')}
<text x="10" y="${height - 10}" fill="#555">bar: measured (green met, red missed, grey informational); black tick: the target; each row on its own scale</text>
</svg>
`;
}
