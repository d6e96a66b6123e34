// `npm run bench:table [figures.json]`: the figures of a bench run (default: the committed full run,
// docs/bench/figures.json) as a Markdown table, for the README's Performance section, so that its table
// is pasted from a run instead of typed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = process.argv[2] ?? fileURLToPath(new URL('../docs/bench/figures.json', import.meta.url));
if (file === '--help' || file === '-h') {
  process.stdout.write('usage: npm run bench:table [-- path/to/figures.json]   (default docs/bench/figures.json)\n');
  process.exit(0);
}
const run = JSON.parse(readFileSync(file, 'utf8'));

const number = (value) =>
  Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
const target = ({ min, max } = {}) =>
  [min !== undefined && `≥ ${number(min)}`, max !== undefined && `< ${number(max)}`].filter(Boolean).join(', ');
const cpu = (extra) => (extra?.serverCpuUsPerReq ? `${extra.serverCpuUsPerReq} µs CPU/req` : '');

const rows = run.figures.map((f) => [
  f.name.replace(/\|/g, '\\|'),
  `${number(f.value)} ${f.unit}`,
  f.target ? `${target(f.target)} ${f.unit}` : '—',
  f.met === null ? '' : f.met ? 'met' : 'missed',
  cpu(f.extra),
]);
const header = ['figure', 'measured', 'target', 'status', 'server'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const { env, git, startedAt } = run;
process.stdout.write(
  [
    `Run of ${startedAt} on commit ${git.commit.slice(0, 7)}${git.dirty ? ' (with uncommitted changes)' : ''}, ` +
      `${env.cpus} × ${env.cpuModel}, Node ${env.node}, load average at start ${env.loadAvgAtStart[0]}:`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ].join('\n'),
);
