// Generates docs/modules.md, the module map: every context present in libs/, the message patterns it
// answers, the integration events it publishes and consumes, and the process it runs in.
//
//   npm run docs:modules              write docs/modules.md
//   npm run docs:modules -- --check   exit 1 when docs/modules.md is not what this script would write
//
// It reads the TypeScript sources as text (no build needed), so it only understands the shapes the
// contracts are written in:
//   patterns   libs/contracts/src/<ctx>/*.patterns.ts     export const XPatterns = { key: 'ctx.verb-noun.v1', ... }
//   events     libs/contracts/src/**/*.ts                 export const X = defineEvent<P>('ctx', 'ctx.fact.v1')
//   consumers  libs/contracts/src/subscriptions.ts        EVENT_SUBSCRIPTIONS = { 'ctx.fact.v1': ['other'], ... }
//   contexts   libs/<ctx>/ (every folder but platform and contracts), CONTEXT_NAMES in contexts.ts
//   placement  apps/extracted/<ctx>/ exists -> the context is extractable (npm run extract made its host);
//              it runs remotely only when FICUS_REMOTE_CONTEXTS lists it, which is deployment, not code
//   sagas      libs/<ctx>/src/**/*.ts                    export const X_TRANSITIONS = [{ from: 'A', to: 'B', on: '…' }, ...]
//              (a process manager's state machine, which its code enforces) -> a Mermaid state diagram
// The output is sorted and carries no timestamp, so it only changes when the sources do.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DOC_PATH = 'docs/modules.md';
/** Folders under libs/ that are shared plumbing, not bounded contexts (as in .dependency-cruiser.cjs). */
const SHARED_LIBS = new Set(['platform', 'contracts']);
const CONTRACTS = 'libs/contracts/src';

const byString = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const sortBy = (key) => (a, b) => byString(key(a), key(b));
const posix = (path) => path.split(sep).join('/');

function read(root, path) {
  const file = join(root, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function isDir(path) {
  return existsSync(path) && statSync(path).isDirectory();
}

function subdirs(path) {
  return isDir(path) ? readdirSync(path).filter((name) => isDir(join(path, name))) : [];
}

/** Every file under `dir` whose name passes `test`, as repo-relative POSIX paths, sorted. */
function filesUnder(root, dir, test) {
  const found = [];
  const walk = (abs) => {
    for (const name of readdirSync(abs)) {
      const path = join(abs, name);
      if (isDir(path)) walk(path);
      else if (test(name)) found.push(posix(relative(root, path)));
    }
  };
  if (isDir(join(root, dir))) walk(join(root, dir));
  return found.sort(byString);
}

/** Source text without comments (a `//` right after `:` is kept, for URLs inside strings). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** The text between the `{` at `open` and its matching `}` (strings are not special; contracts have no braces in them). */
function braceBody(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** A string literal in a regex: its opening quote is capture group `group`, its text group + 1. */
const quoted = (group) => `(['"\`])([^'"\`]+)\\${group}`;

function quotedStrings(text) {
  return [...text.matchAll(new RegExp(quoted(1), 'g'))].map((m) => m[2]);
}

// ---------------------------------------------------------------------------------------------------
// Reading the sources.

function readContextNames(root) {
  const text = read(root, `${CONTRACTS}/contexts.ts`);
  const list = text && /\bCONTEXT_NAMES\b[^=]*=\s*\[([^\]]*)\]/.exec(stripComments(text));
  return list ? quotedStrings(list[1]) : [];
}

/** The query-verb rule of pattern-kind.ts (`QUERY_VERBS = /.../`), or undefined when it is not there. */
function readQueryRule(root) {
  const text = read(root, `${CONTRACTS}/messaging/pattern-kind.ts`);
  const literal = text && /\bQUERY_VERBS\s*=\s*\/((?:\\.|[^/\\\n])+)\/([a-z]*)/.exec(text);
  if (!literal) return undefined;
  try {
    return new RegExp(literal[1], literal[2]);
  } catch {
    return undefined;
  }
}

/** `export const XPatterns = { key: 'pattern' }` in libs/contracts/src/<ctx>/*.patterns.ts. */
function readPatterns(root, ctx) {
  const patterns = [];
  for (const file of filesUnder(root, `${CONTRACTS}/${ctx}`, (name) => name.endsWith('.patterns.ts'))) {
    const text = stripComments(read(root, file));
    for (const decl of text.matchAll(/export\s+const\s+(\w+)\s*(?::[^=]*)?=\s*\{/g)) {
      const body = braceBody(text, decl.index + decl[0].length - 1);
      for (const entry of body.matchAll(new RegExp(String.raw`(\w+)\s*:\s*` + quoted(2), 'g'))) {
        patterns.push({ pattern: entry[3], constant: `${decl[1]}.${entry[1]}`, file });
      }
    }
  }
  return patterns;
}

/** Every `defineEvent('source', 'name')` in libs/contracts/src, with the constant it is assigned to. */
function readEvents(root) {
  const events = [];
  const call = new RegExp(
    String.raw`(?:\bconst\s+(\w+)\s*(?::[^=]*)?=\s*)?\bdefineEvent\s*(?:<[\s\S]*?>)?\s*\(\s*` +
      quoted(2) +
      String.raw`\s*,\s*` +
      quoted(4),
    'g',
  );
  for (const file of filesUnder(root, CONTRACTS, (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))) {
    for (const m of stripComments(read(root, file)).matchAll(call)) {
      events.push({ constant: m[1], source: m[3], name: m[5], file });
    }
  }
  return events;
}

/** EVENT_SUBSCRIPTIONS: event name -> consumers. Keys may be strings or `[SomeEventV1.name]`. */
function readSubscriptions(root, events) {
  const text = read(root, `${CONTRACTS}/subscriptions.ts`);
  const subscriptions = new Map();
  if (!text) return subscriptions;
  const code = stripComments(text);
  const decl = /\bEVENT_SUBSCRIPTIONS\b[^=]*=\s*\{/.exec(code);
  if (!decl) return subscriptions;
  const body = braceBody(code, decl.index + decl[0].length - 1);
  const byConstant = new Map(events.filter((e) => e.constant).map((e) => [e.constant, e.name]));
  const entry = new RegExp('(?:' + quoted(1) + String.raw`|\[\s*(\w+)\.name\s*\])\s*:\s*\[([^\]]*)\]`, 'g');
  for (const m of body.matchAll(entry)) {
    const name = m[2] ?? byConstant.get(m[3]) ?? `${m[3]}.name`;
    subscriptions.set(name, [...new Set(quotedStrings(m[4]))].sort(byString));
  }
  return subscriptions;
}

/**
 * State machines of process managers: `export const X_TRANSITIONS = [{ from, to, on }, ...]` anywhere in a
 * context's sources (not specs), in source order (the order reads as the story).
 */
function readTransitions(root, ctx) {
  const machines = [];
  const files = filesUnder(
    root,
    `libs/${ctx}/src`,
    (name) => name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name),
  );
  for (const file of files) {
    const text = stripComments(read(root, file));
    for (const decl of text.matchAll(/export\s+const\s+(\w+_TRANSITIONS)\s*(?::[^=]*)?=\s*\[/g)) {
      const open = decl.index + decl[0].length - 1;
      const close = text.indexOf('];', open);
      const body = text.slice(open + 1, close < 0 ? undefined : close);
      const entry = new RegExp(
        String.raw`\{\s*from\s*:\s*` +
          quoted(1) +
          String.raw`\s*,\s*to\s*:\s*` +
          quoted(3) +
          String.raw`\s*,\s*on\s*:\s*` +
          quoted(5),
        'g',
      );
      const transitions = [...body.matchAll(entry)].map((m) => ({ from: m[2], to: m[4], on: m[6] }));
      if (transitions.length) machines.push({ constant: decl[1], file, transitions });
    }
  }
  return machines.sort(sortBy((m) => m.constant));
}

/** Everything the map shows, sorted. */
export function collectModules(root = REPO_ROOT) {
  const known = readContextNames(root);
  const inLibs = subdirs(join(root, 'libs')).filter((name) => !SHARED_LIBS.has(name));
  const inContracts = subdirs(join(root, CONTRACTS)).filter((name) => known.includes(name));
  const isQuery = readQueryRule(root);
  const events = readEvents(root).sort(sortBy((e) => e.name));
  const subscriptions = readSubscriptions(root, events);

  const names = new Set([...inLibs, ...inContracts]);
  const consumerNames = [...subscriptions.values()].flat();
  for (const name of [...events.map((e) => e.source), ...consumerNames]) names.add(name);

  const contexts = [...names].sort(byString).map((name) => {
    const patterns = readPatterns(root, name)
      .map((p) => ({
        ...p,
        kind: isQuery ? (isQuery.test(p.pattern.split('.')[1] ?? '') ? 'query' : 'command') : undefined,
      }))
      .sort(sortBy((p) => p.pattern));
    const publishes = events
      .filter((e) => e.source === name)
      .map((e) => ({ ...e, consumers: subscriptions.get(e.name) ?? [] }));
    const consumes = [...subscriptions]
      .filter(([, consumers]) => consumers.includes(name))
      .map(([event]) => ({ name: event, source: events.find((e) => e.name === event)?.source }))
      .sort(sortBy((e) => e.name));
    return {
      name,
      inLibs: inLibs.includes(name),
      known: known.includes(name),
      extracted: existsSync(join(root, 'apps/extracted', name)),
      patterns,
      publishes,
      consumes,
      sagas: readTransitions(root, name),
    };
  });
  const present = new Set(contexts.map((c) => c.name));
  const planned = known.filter((name) => !present.has(name)).sort(byString);
  const subscriptionsWithoutEvent = [...subscriptions.keys()].filter((name) => !events.some((e) => e.name === name));
  return { contexts, events, planned, subscriptionsWithoutEvent: subscriptionsWithoutEvent.sort(byString) };
}

// ---------------------------------------------------------------------------------------------------
// Rendering.

const mermaidId = (prefix, name) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
const code = (text) => `\`${text}\``;
const list = (items) => (items.length ? items.join(', ') : '—');

function placement(ctx) {
  if (ctx.extracted) {
    return `monolith; extractable (${code(`apps/extracted/${ctx.name}`)}), remote when listed in ${code('FICUS_REMOTE_CONTEXTS')}`;
  }
  if (ctx.inLibs) return 'monolith';
  return 'not built yet';
}

function renderDiagram(model) {
  const lines = ['```mermaid', 'flowchart LR'];
  const built = model.contexts.filter((c) => c.inLibs);
  const node = (ctx) => {
    const detail = `${ctx.patterns.length} pattern${ctx.patterns.length === 1 ? '' : 's'}`;
    const extractable = ctx.extracted ? `<br/>extractable: apps/extracted/${ctx.name}` : '';
    return `${mermaidId('ctx', ctx.name)}["${ctx.name}<br/>${detail}${extractable}"]`;
  };

  // Where a context runs is deployment (FICUS_REMOTE_CONTEXTS), so the map shows every built context in
  // the monolith and marks the ones that have a generated host.
  lines.push('  subgraph proc_monolith["monolith process: apps/monolith"]');
  lines.push('    facade["REST facade /v1"]');
  for (const ctx of built) lines.push(`    ${node(ctx)}`);
  lines.push('  end');
  for (const ctx of model.contexts.filter((c) => !c.inLibs)) {
    lines.push(`  ${mermaidId('ctx', ctx.name)}["${ctx.name}<br/>not built yet"]:::planned`);
  }
  for (const ctx of built.filter((c) => c.patterns.length > 0)) {
    const how = ctx.extracted ? 'requests in-process, or over Redis when remote' : 'requests in-process';
    lines.push(`  facade -->|${how}| ${mermaidId('ctx', ctx.name)}`);
  }
  for (const event of model.events) {
    const id = mermaidId('ev', event.name);
    lines.push(`  ${id}(["${event.name}"]):::event`);
    lines.push(`  ${mermaidId('ctx', event.source)} -->|publishes| ${id}`);
    const consumers = model.contexts.find((c) => c.name === event.source)?.publishes.find((e) => e.name === event.name);
    for (const consumer of consumers?.consumers ?? [])
      lines.push(`  ${id} -.->|consumed by| ${mermaidId('ctx', consumer)}`);
  }
  lines.push('  classDef event fill:#fff4dd,stroke:#c98a00;');
  lines.push('  classDef planned stroke-dasharray:4 4,color:#888;');
  lines.push('```');
  return lines;
}

function renderContext(ctx) {
  const lines = [`## ${ctx.name}`, ''];
  if (ctx.extracted) {
    lines.push(
      `Extractable: its host is ${code(`apps/extracted/${ctx.name}`)} (${code(`npm run start:extracted -- ${ctx.name}`)}). ` +
        `It runs in the monolith unless ${code('FICUS_REMOTE_CONTEXTS')} lists ${code(ctx.name)}; then the monolith ` +
        `calls it over Redis and that host must run.`,
    );
  } else if (ctx.inLibs) {
    lines.push(
      `Runs in the monolith (${code('apps/monolith')}). Extract it with ${code(`npm run extract -- ${ctx.name}`)}.`,
    );
  } else {
    lines.push(
      `Not built yet: there is no ${code(`libs/${ctx.name}`)}; it appears here because the contracts name it.`,
    );
  }
  if (!ctx.known) lines.push('', `**Not in ${code('CONTEXT_NAMES')}** (${code(`${CONTRACTS}/contexts.ts`)}).`);
  lines.push('');

  lines.push('### Message patterns', '');
  if (ctx.patterns.length === 0) lines.push('None.');
  else {
    const withKind = ctx.patterns.some((p) => p.kind);
    lines.push(withKind ? '| pattern | kind | constant |' : '| pattern | constant |');
    lines.push(withKind ? '|---|---|---|' : '|---|---|');
    for (const p of ctx.patterns) {
      lines.push(
        withKind
          ? `| ${code(p.pattern)} | ${p.kind} | ${code(p.constant)} |`
          : `| ${code(p.pattern)} | ${code(p.constant)} |`,
      );
    }
  }
  lines.push('');

  lines.push('### Publishes', '');
  if (ctx.publishes.length === 0) lines.push('None.');
  else {
    lines.push('| event | constant | consumed by |', '|---|---|---|');
    for (const e of ctx.publishes) {
      lines.push(`| ${code(e.name)} | ${e.constant ? code(e.constant) : '—'} | ${list(e.consumers)} |`);
    }
  }
  lines.push('');

  lines.push('### Consumes', '');
  if (ctx.consumes.length === 0) lines.push('None.');
  else {
    lines.push('| event | from |', '|---|---|');
    for (const e of ctx.consumes) lines.push(`| ${code(e.name)} | ${e.source ?? '—'} |`);
  }
  lines.push('');

  for (const saga of ctx.sagas ?? []) {
    lines.push(`### Process manager: ${code(saga.constant)}`, '');
    lines.push(`The state machine in ${code(saga.file)}; the code refuses any other move.`, '');
    lines.push('```mermaid', 'stateDiagram-v2');
    for (const t of saga.transitions) lines.push(`  ${t.from} --> ${t.to}: ${t.on}`);
    lines.push('```', '');
  }
  return lines;
}

/** The whole of docs/modules.md. */
export function renderModulesDoc(model) {
  const lines = [
    '# Module map',
    '',
    '<!-- Generated by `npm run docs:modules` (scripts/docs-modules.mjs); do not edit by hand. -->',
    '',
    'The bounded contexts of Ficus as the code defines them: the message patterns each answers',
    `(${code(`${CONTRACTS}/<ctx>/*.patterns.ts`)}), the integration events each publishes (${code('defineEvent')})`,
    `and consumes (${code('EVENT_SUBSCRIPTIONS')} in ${code(`${CONTRACTS}/subscriptions.ts`)}), and where each runs: in`,
    `the monolith, or remote (its own process) when ${code('FICUS_REMOTE_CONTEXTS')} lists it; ${code('npm run extract -- <ctx>')}`,
    `makes a context extractable by generating its host, ${code('apps/extracted/<ctx>')}.`,
    `Regenerate with ${code('npm run docs:modules')}; a test fails while this file is out of date.`,
    '',
    ...renderDiagram(model),
    '',
    '| context | runs in | patterns | publishes | consumes |',
    '|---|---|---|---|---|',
    ...model.contexts.map(
      (c) =>
        `| [${c.name}](#${c.name}) | ${placement(c)} | ${c.patterns.length} | ` +
        `${list(c.publishes.map((e) => code(e.name)))} | ${list(c.consumes.map((e) => code(e.name)))} |`,
    ),
    '',
  ];
  if (model.planned.length > 0) {
    lines.push(`Planned (in ${code('CONTEXT_NAMES')}, no code yet): ${model.planned.join(', ')}.`, '');
  }
  if (model.subscriptionsWithoutEvent.length > 0) {
    lines.push(
      `**Subscriptions to events no contract defines:** ${model.subscriptionsWithoutEvent.map(code).join(', ')}.`,
      '',
    );
  }
  for (const ctx of model.contexts) lines.push(...renderContext(ctx));
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** docs/modules.md as it should be for the sources under `root`. */
export function generateModulesDoc(root = REPO_ROOT) {
  return renderModulesDoc(collectModules(root));
}

/**
 * The command: writes the doc, or with `--check` compares it. Returns the exit code.
 * `out` (default docs/modules.md under root) lets tests work on a scratch file.
 */
export function runDocsModules(argv = [], { root = REPO_ROOT, out = join(root, DOC_PATH), log = console } = {}) {
  const unknown = argv.filter((a) => a !== '--check' && a !== '--help' && a !== '-h');
  if (argv.includes('--help') || argv.includes('-h') || unknown.length > 0) {
    const usage = 'usage: npm run docs:modules [-- --check]   (writes docs/modules.md; --check only compares)';
    if (unknown.length > 0) {
      log.error(`docs:modules: unknown argument ${unknown.join(' ')}\n${usage}`);
      return 2;
    }
    log.log(usage);
    return 0;
  }
  const wanted = generateModulesDoc(root);
  const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  const shown = posix(relative(root, out));
  if (argv.includes('--check')) {
    if (current === wanted) {
      log.log(`${shown} is up to date.`);
      return 0;
    }
    const why =
      current === undefined
        ? 'is missing'
        : `differs from the sources (first at line ${firstDifference(current, wanted)})`;
    log.error(`${shown} is out of date: it ${why}.\nRun \`npm run docs:modules\` and commit ${shown}.`);
    return 1;
  }
  if (current === wanted) {
    log.log(`${shown} is up to date.`);
  } else {
    writeFileSync(out, wanted);
    log.log(`${current === undefined ? 'CREATE' : 'UPDATE'} ${shown}`);
  }
  return 0;
}

function firstDifference(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i + 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runDocsModules(process.argv.slice(2));
}
