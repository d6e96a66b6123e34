// Extracts a bounded context into its own process (strangler fig):
//
//   npm run extract -- <context> [--dry-run]
//   npm run extract -- --help
//
// Runs the repo's own nest schematic (tools/schematics, installed as the devDependency
// @ficus/schematics): `npx nest g -c @ficus/schematics extract <context> -p monolith`. `nest g` exits 0
// even when the schematic refuses, so this script reads its output and exits 1 with the schematic's
// message in that case. After a real (not dry) run it regenerates docs/modules.md, which shows where
// each context runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDocsModules } from './docs-modules.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const COLLECTION = '@ficus/schematics';

function contexts() {
  const path = join(ROOT, 'libs/contracts/src/contexts.ts');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const list = /\bCONTEXT_NAMES\b[^=]*=\s*\[([^\]]*)\]/.exec(text);
  const names = list ? [...list[1].matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]) : [];
  const extracted = existsSync(join(ROOT, 'apps/extracted'))
    ? readdirSync(join(ROOT, 'apps/extracted')).filter((n) => !n.startsWith('.'))
    : [];
  return names.map((name) => ({
    name,
    state: extracted.includes(name)
      ? 'extracted (apps/extracted/' + name + ')'
      : existsSync(join(ROOT, 'libs', name, 'src/index.ts'))
        ? 'in the monolith: can be extracted'
        : 'planned: no libs/' + name + ' yet',
  }));
}

function usage() {
  const rows = contexts().map((c) => `  ${c.name.padEnd(16)} ${c.state}`);
  return [
    'usage: npm run extract -- <context> [--dry-run]',
    '',
    'Moves a context into its own process: creates apps/extracted/<context> (a thin host around the',
    "context's unchanged Nest module), registers it in nest-cli.json, adds it to docker/compose.yaml and",
    "docker/k8s/, lists it in the monolith's FICUS_REMOTE_CONTEXTS there, and updates docs/modules.md.",
    'Refuses, changing nothing, for an unknown or unbuilt context or one already extracted.',
    '',
    'options:',
    '  -d, --dry-run   show what would be created and updated, write nothing',
    '  -h, --help      this message',
    '',
    'contexts:',
    ...(rows.length ? rows : ['  (none found in libs/contracts/src/contexts.ts)']),
  ].join('\n');
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');
/** npm/npx chatter that is not the schematic's output. */
const isNoise = (line) => /^npm (warn|notice)\b/i.test(line);

function clean(text) {
  return stripAnsi(text ?? '')
    .split('\n')
    .filter((line) => !isNoise(line))
    .join('\n')
    .replace(/^\n+|\s+$/g, '');
}

/** The schematic's refusal (or any other failure) from the CLI output, or undefined when it succeeded. */
export function failureMessage(stdout, stderr, status) {
  const out = clean(stdout);
  const err = clean(stderr);
  const all = `${out}\n${err}`;
  const failed =
    status !== 0 ||
    /^Error: /m.test(all) ||
    /Failed to execute command/.test(all) ||
    /The Schematic workflow failed/.test(all);
  if (!failed) return undefined;
  const start = all.search(/^Error: /m);
  if (start === -1) return all.trim() || `nest g exited with status ${status}`;
  const message = all.slice(start + 'Error: '.length);
  const end = message.search(/^(Failed to execute command|The Schematic workflow failed)/m);
  return (end === -1 ? message : message.slice(0, end)).trim();
}

function main(argv) {
  const flags = argv.filter((a) => a.startsWith('-'));
  const positional = argv.filter((a) => !a.startsWith('-'));
  if (flags.includes('-h') || flags.includes('--help')) {
    console.log(usage());
    return 0;
  }
  const unknown = flags.filter((f) => !['-d', '--dry-run'].includes(f));
  if (unknown.length > 0 || positional.length !== 1) {
    const problem = unknown.length > 0 ? `unknown option ${unknown.join(' ')}` : 'name exactly one context';
    console.error(`extract: ${problem}\n\n${usage()}`);
    return 2;
  }
  const [name] = positional;
  const dryRun = flags.includes('-d') || flags.includes('--dry-run');
  if (!NAME_PATTERN.test(name)) {
    console.error(
      `Cannot extract "${name}": not a context name (lower-case letters, digits and dashes).\nNothing was changed.`,
    );
    return 1;
  }
  if (!existsSync(join(ROOT, 'node_modules', COLLECTION, 'collection.json'))) {
    console.error(
      `extract: the schematic collection ${COLLECTION} is not installed (it is a devDependency, file:tools/schematics).\n` +
        'Run `npm install` first.',
    );
    return 1;
  }

  const args = ['nest', 'g', '-c', COLLECTION, 'extract', name, '-p', 'monolith', ...(dryRun ? ['-d'] : [])];
  const result = spawnSync('npx', args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (result.error) {
    console.error(`extract: could not run \`npx ${args.join(' ')}\`: ${result.error.message}`);
    return 1;
  }
  const failure = failureMessage(result.stdout, result.stderr, result.status);
  if (failure !== undefined) {
    console.error(failure);
    return 1;
  }

  // Warnings (stderr) first: the schematic prints them before the file list.
  const warnings = clean(result.stderr);
  if (warnings) console.error(warnings.replace(/^ +/gm, ''));
  // The schematic logs its next steps from a nested (indented) logger after the file list.
  const output = clean(result.stdout).replace(/^ {4}/gm, '');
  if (dryRun) {
    console.log(output);
    console.log('\n(dry run: nothing was written; run again without --dry-run to extract)');
    return 0;
  }
  const nextSteps = output.search(/^\S.* is extracted\. Next steps:/m);
  console.log((nextSteps === -1 ? output : output.slice(0, nextSteps)).trimEnd());
  const docs = runDocsModules([], { root: ROOT });
  if (nextSteps !== -1) console.log(`\n${output.slice(nextSteps)}`);
  return docs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
