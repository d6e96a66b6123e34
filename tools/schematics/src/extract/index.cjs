'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: the Angular devkit loads schematics with require() */
/**
 * `extract`: moves one bounded context of Ficus into its own process (strangler fig).
 *
 *   npm run extract -- <ctx>     (= npx nest g -c @ficus/schematics extract <ctx> -p monolith)
 *
 * Writes apps/extracted/<ctx>/ (a thin host around the context's unchanged Nest module), registers the
 * `extracted-<ctx>` project in nest-cli.json, adds a `<ctx>` service to docker/compose.yaml (above the
 * `# ficus:extracted-services` marker) and lists <ctx> in the monolith's FICUS_REMOTE_CONTEXTS there,
 * writes docker/k8s/<ctx>.yaml (creating docker/k8s/monolith.yaml and README.md when missing) and lists
 * <ctx> in monolith.yaml's FICUS_REMOTE_CONTEXTS. Prints the next steps once the files are written.
 *
 * Every check runs before anything is touched, and a schematic only writes to disk when all its rules
 * succeeded, so a refusal (unknown context, no libs/<ctx>/src/index.ts, already extracted, a file the
 * edits cannot place themselves in) changes nothing.
 */
const {
  SchematicsException,
  apply,
  applyTemplates,
  chain,
  filter,
  mergeWith,
  move,
  strings,
  url,
} = require('@angular-devkit/schematics');
const { RunSchematicTask } = require('@angular-devkit/schematics/tasks');

const PATHS = {
  contexts: 'libs/contracts/src/contexts.ts',
  nestCli: 'nest-cli.json',
  compose: 'docker/compose.yaml',
  k8sMonolith: 'docker/k8s/monolith.yaml',
  tsconfig: 'tsconfig.json',
};
/** The line (two-space indent, a key position of `services`) that new compose services go above. */
const COMPOSE_MARKER = '  # ficus:extracted-services';
const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
const HEALTH_PORT = 3001;
/** Monolith variables an extracted host has no use for; every other monolith variable is copied. */
const MONOLITH_ONLY_ENV = new Set([
  'PORT',
  'HOST',
  'HEALTH_PORT',
  'FICUS_REMOTE_CONTEXTS',
  'SEED_ON_START',
  'API_DOCS',
  'CORS_ORIGINS',
  'TRUST_PROXY',
]);
const MONOLITH_ONLY_ENV_PREFIXES = ['RATE_LIMIT_', 'LOGIN_'];

class Refusal extends SchematicsException {
  constructor(name, problems) {
    const list = problems.length === 1 ? ` ${problems[0]}` : `\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    super(`Cannot extract "${name}":${list}\nNothing was changed.`);
  }
}

/** @param {{ name: string }} options */
function extract(options) {
  return (tree, context) => {
    const name = String(options.name ?? '').trim();
    const plan = planExtraction(tree, name);
    for (const warning of plan.warnings) context.logger.warn(warning);
    const templateOptions = { name, moduleName: plan.moduleName };
    return chain([
      mergeWith(apply(url('./files/host'), [applyTemplates(templateOptions), move('/')])),
      mergeWith(apply(url('./files/k8s'), [applyTemplates(templateOptions), move('/')])),
      // monolith.yaml and README.md in docker/k8s are written once, by the first extraction.
      mergeWith(
        apply(url('./files/k8s-base'), [
          applyTemplates(templateOptions),
          filter((path) => !tree.exists(path)),
          move('/'),
        ]),
      ),
      (t) => {
        t.overwrite(PATHS.nestCli, plan.nestCli);
        t.overwrite(PATHS.compose, plan.compose);
      },
      (t, ctx) => {
        const monolith = t.readText(PATHS.k8sMonolith);
        const edited = addRemoteContextK8s(monolith, name);
        if (edited === undefined) {
          ctx.logger.warn(
            `${PATHS.k8sMonolith} has no FICUS_REMOTE_CONTEXTS env entry: add one listing "${name}" to the monolith container.`,
          );
        } else if (edited !== monolith) {
          t.overwrite(PATHS.k8sMonolith, edited);
        }
      },
      (_t, ctx) => {
        // A post task runs after the files are written (never in a dry run), so the next steps come
        // after the CLI's CREATE/UPDATE lines.
        ctx.addTask(new RunSchematicTask('extract-next-steps', { name }));
      },
    ]);
  };
}

/**
 * Every check and every computed edit, before anything is written. Throws a Refusal listing all
 * problems found.
 */
function planExtraction(tree, name) {
  if (!NAME_PATTERN.test(name)) {
    throw new Refusal(name, [
      `"${name}" is not a context name (lower-case letters, digits and dashes, starting with a letter).`,
    ]);
  }
  const contextsText = readText(tree, PATHS.contexts);
  if (contextsText === undefined) throw new Refusal(name, [`${PATHS.contexts} is missing, so no context is known.`]);
  const known = contextNames(contextsText);
  if (known === undefined) throw new Refusal(name, [`no CONTEXT_NAMES list found in ${PATHS.contexts}.`]);
  if (!known.includes(name)) {
    throw new Refusal(name, [
      `"${name}" is not a context of Ficus. Known contexts (CONTEXT_NAMES in ${PATHS.contexts}): ${known.join(', ')}.`,
    ]);
  }
  const indexPath = `libs/${name}/src/index.ts`;
  const indexText = readText(tree, indexPath);
  if (indexText === undefined) {
    throw new Refusal(name, [
      `${indexPath} does not exist: "${name}" is a planned context that has not been built yet, so there is no module to extract.`,
    ]);
  }

  const problems = [];
  const warnings = [];
  const moduleName = exportedModule(indexText, name);
  if (typeof moduleName !== 'string') {
    problems.push(
      `${indexPath} must export the context's Nest module (expected \`export { ${expectedModuleName(name)} } from './${name}.module.js';\`)` +
        (moduleName.length ? `; it exports several: ${moduleName.join(', ')}.` : '.'),
    );
  }

  const hostDir = `apps/extracted/${name}`;
  const dir = tree.getDir(hostDir);
  if (dir.subfiles.length > 0 || dir.subdirs.length > 0) {
    problems.push(`${hostDir} already exists: "${name}" is already extracted.`);
  }
  const k8sFile = `docker/k8s/${name}.yaml`;
  if (tree.exists(k8sFile)) problems.push(`${k8sFile} already exists.`);

  let nestCli;
  const nestCliText = readText(tree, PATHS.nestCli);
  if (nestCliText === undefined) {
    problems.push(`${PATHS.nestCli} is missing.`);
  } else {
    try {
      nestCli = addNestProject(nestCliText, `extracted-${name}`, nestProject(name));
    } catch (error) {
      problems.push(error.message);
    }
  }

  let compose;
  const composeText = readText(tree, PATHS.compose);
  if (composeText === undefined) {
    problems.push(`${PATHS.compose} is missing.`);
  } else {
    try {
      compose = addComposeService(composeText, name);
    } catch (error) {
      problems.push(error.message);
    }
  }

  if (problems.length > 0) throw new Refusal(name, problems);

  const tsconfig = readText(tree, PATHS.tsconfig);
  if (tsconfig !== undefined && !tsconfig.includes(`"@ficus/${name}"`)) {
    warnings.push(
      `${PATHS.tsconfig} has no path alias "@ficus/${name}": add "@ficus/${name}": ["./libs/${name}/src/index.ts"] to compilerOptions.paths, or the host will not compile.`,
    );
  }
  return { moduleName, nestCli, compose, warnings };
}

// ---------------------------------------------------------------------------------------------------
// Reading the TypeScript sources (as text: the schematic runs before anything is built).

function readText(tree, path) {
  return tree.exists(path) ? tree.readText(path) : undefined;
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** The names in `export const CONTEXT_NAMES = [...]`, or undefined when there is no such list. */
function contextNames(contextsText) {
  const list = /\bCONTEXT_NAMES\b[^=]*=\s*\[([^\]]*)\]/.exec(stripComments(contextsText));
  return list ? [...list[1].matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1]) : undefined;
}

function expectedModuleName(name) {
  return `${strings.classify(name)}Module`;
}

/** The Nest module a context's index.ts exports: its name, or the list of candidates when not exactly one. */
function exportedModule(indexText, name) {
  const text = stripComments(indexText);
  const exported = new Set();
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const alias = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        .trim();
      if (/^\w+$/.test(alias)) exported.add(alias);
    }
  }
  for (const m of text.matchAll(/export\s+(?:abstract\s+)?class\s+(\w+)/g)) exported.add(m[1]);
  const expected = expectedModuleName(name);
  if (exported.has(expected)) return expected;
  const modules = [...exported].filter((n) => n.endsWith('Module')).sort();
  return modules.length === 1 ? modules[0] : modules;
}

// ---------------------------------------------------------------------------------------------------
// nest-cli.json: a text insertion, so the rest of the file keeps its exact formatting.

function nestProject(name) {
  return {
    type: 'application',
    root: `apps/extracted/${name}`,
    entryFile: `apps/extracted/${name}/src/main`,
    sourceRoot: `apps/extracted/${name}/src`,
    compilerOptions: { tsConfigPath: 'tsconfig.build.json' },
  };
}

function addNestProject(text, key, project) {
  let config;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(`${PATHS.nestCli} is not valid JSON (${error.message}).`, { cause: error });
  }
  if (!config || typeof config.projects !== 'object' || config.projects === null || Array.isArray(config.projects)) {
    throw new Error(`${PATHS.nestCli} has no "projects" map (the workspace must be a nest monorepo).`);
  }
  if (Object.hasOwn(config.projects, key)) {
    throw new Error(`${PATHS.nestCli} already has a project "${key}".`);
  }
  const { keyStart, close } = findTopLevelObject(text, 'projects');
  const lineStart = text.lastIndexOf('\n', keyStart) + 1;
  const outer = text.slice(lineStart, keyStart).match(/^[ \t]*/)[0];
  const inner = `${outer}  `;
  const head = text.slice(0, close).replace(/\s+$/, '');
  const entries = Object.entries(project).map(([k, v]) => `${inner}  ${JSON.stringify(k)}: ${inlineJson(v)}`);
  const entry = `${inner}${JSON.stringify(key)}: {\n${entries.join(',\n')}\n${inner}}`;
  const result = `${head}${head.endsWith('{') ? '' : ','}\n${entry}\n${outer}${text.slice(close)}`;
  JSON.parse(result); // a bug here must never write a broken nest-cli.json
  return result;
}

/** `{ "a": "b" }` on one line, as the other projects in nest-cli.json write compilerOptions. */
function inlineJson(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

/** Offsets of a top-level key and the closing brace of its object value, found by scanning the JSON text. */
function findTopLevelObject(text, key) {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && JSON.parse(text.slice(i, end + 1)) === key) {
        const colon = text.indexOf(':', end);
        const open = text.indexOf('{', colon);
        return { keyStart: i, close: matchingBrace(text, open) };
      }
      i = end;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  throw new Error(`${PATHS.nestCli} has no top-level "${key}" object.`);
}

function stringEnd(text, start) {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

function matchingBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i);
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i;
  }
  throw new Error(`${PATHS.nestCli}: unbalanced braces.`);
}

// ---------------------------------------------------------------------------------------------------
// docker/compose.yaml: line edits that keep every comment and the file's layout.

const indentOf = (line) => line.match(/^ */)[0].length;
const isBlankOrComment = (line) => /^\s*(#.*)?$/.test(line);

/** The service keys of the top-level `services:` map: [{ name, line }]. */
function composeServices(lines) {
  const services = [];
  let inServices = false;
  lines.forEach((line, i) => {
    if (/^[^\s#]/.test(line)) inServices = /^services:\s*(#.*)?$/.test(line);
    else if (inServices) {
      const m = /^ {2}([A-Za-z0-9._-]+):\s*(#.*)?$/.exec(line);
      if (m) services.push({ name: m[1], line: i });
    }
  });
  return services;
}

/** Index range [start, end) of the lines under a key at `indent`, trailing blank/comment lines excluded. */
function blockAfter(lines, keyLine) {
  const indent = indentOf(lines[keyLine]);
  let end = keyLine + 1;
  let last = keyLine;
  while (end < lines.length) {
    const line = lines[end];
    if (!isBlankOrComment(line)) {
      if (indentOf(line) <= indent) break;
      last = end;
    }
    end++;
  }
  return { start: keyLine + 1, end: last + 1 };
}

/** The `environment:` map of a service: its key line and entries [{ key, value, start, end }]. */
function serviceEnvironment(lines, service) {
  const { start, end } = blockAfter(lines, service.line);
  const envLine = lines.slice(start, end).findIndex((l) => /^ {4}environment:\s*(#.*)?$/.test(l));
  if (envLine === -1) return undefined;
  const keyLine = start + envLine;
  const block = blockAfter(lines, keyLine);
  const entries = [];
  for (let i = block.start; i < block.end; i++) {
    const m = /^ {6}([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(lines[i]);
    if (m) entries.push({ key: m[1], value: m[2], start: i, end: i + 1 });
    else if (/^ {6}-/.test(lines[i])) return { keyLine, entries, listForm: true };
    else if (!isBlankOrComment(lines[i]) && entries.length > 0) entries.at(-1).end = i + 1; // a multi-line value
  }
  return { keyLine, entries, listForm: false };
}

function unquote(value) {
  const v = value.trim();
  return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** The contexts a FICUS_REMOTE_CONTEXTS value lists; `${FICUS_REMOTE_CONTEXTS:-a,b}` counts as its default. */
function remoteContexts(raw) {
  let value = unquote(raw.replace(/\s+#.*$/, ''));
  const interpolation = /^\$\{FICUS_REMOTE_CONTEXTS(?::?-([^}]*))?\}$/.exec(value);
  if (interpolation) value = interpolation[1] ?? '';
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function withContext(list, name) {
  return list.includes(name) ? list : [...list, name];
}

function addComposeService(text, name) {
  const lines = text.split('\n');
  const markerLines = lines.flatMap((l, i) => (l.trimEnd() === COMPOSE_MARKER ? [i] : []));
  if (markerLines.length !== 1) {
    throw new Error(
      `${PATHS.compose} must contain the line "${COMPOSE_MARKER.trim()}" exactly once, indented two spaces as the last entry of the services map (found ${markerLines.length}).`,
    );
  }
  const services = composeServices(lines);
  if (services.some((s) => s.name === name)) throw new Error(`${PATHS.compose} already has a service "${name}".`);
  const monolith = services.find((s) => s.name === 'monolith');
  if (!monolith) throw new Error(`${PATHS.compose} has no "monolith" service to take the image and settings from.`);
  const env = serviceEnvironment(lines, monolith);
  if (!env || env.listForm) {
    throw new Error(`${PATHS.compose}: the monolith service needs an "environment:" map (KEY: value) to copy.`);
  }

  const monolithBlock = blockAfter(lines, monolith.line);
  const buildLines = copyKey(lines, monolithBlock, ['build', 'image']);
  const envLines = env.entries
    .filter((e) => !MONOLITH_ONLY_ENV.has(e.key) && !MONOLITH_ONLY_ENV_PREFIXES.some((p) => e.key.startsWith(p)))
    .flatMap((e) => lines.slice(e.start, e.end));
  const service = [
    `  ${name}:`,
    `    # The ${name} context in its own process (apps/extracted/${name}); requests arrive over Redis, events`,
    `    # through its queue. Generated by \`npm run extract -- ${name}\`.`,
    ...(buildLines.length ? buildLines : ['    build:', '      context: ..', '      dockerfile: docker/Dockerfile']),
    '    depends_on:',
    '      postgres:',
    '        condition: service_healthy',
    '      redis:',
    '        condition: service_healthy',
    '    environment:',
    ...envLines,
    `      HEALTH_PORT: '${HEALTH_PORT}'`,
    '    command:',
    '      - node',
    `      - dist/apps/extracted/${name}/src/main.js`,
    '    restart: unless-stopped',
    '    healthcheck:',
    '      test:',
    '        - CMD',
    '        - node',
    '        - -e',
    `        - "fetch('http://127.0.0.1:${HEALTH_PORT}/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`,
    '      interval: 15s',
    '      timeout: 5s',
    '      retries: 3',
    '      start_period: 60s',
    '    init: true',
    '    stop_grace_period: 30s',
    '',
  ];

  // The monolith now calls <name> over Redis.
  const remote = env.entries.find((e) => e.key === 'FICUS_REMOTE_CONTEXTS');
  const remoteLine = `      FICUS_REMOTE_CONTEXTS: ${withContext(remote ? remoteContexts(remote.value) : [], name).join(',')}`;
  const edited = [...lines];
  if (remote) edited.splice(remote.start, remote.end - remote.start, remoteLine);
  else edited.splice(env.entries.length ? env.entries.at(-1).end : env.keyLine + 1, 0, remoteLine);
  // The monolith's block comes before the marker, so the marker's index moved by the same amount.
  const marker = markerLines[0] + (edited.length - lines.length);
  edited.splice(marker, 0, ...service);
  return edited.join('\n');
}

/** The lines of the first of `keys` found directly in a service block (key line plus its children). */
function copyKey(lines, block, keys) {
  for (let i = block.start; i < block.end; i++) {
    const m = /^ {4}([A-Za-z_]+):/.exec(lines[i]);
    if (m && keys.includes(m[1])) {
      const children = blockAfter(lines, i);
      return lines.slice(i, children.end);
    }
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------
// docker/k8s/monolith.yaml: the FICUS_REMOTE_CONTEXTS env entry of the monolith container.

/** The edited text, or undefined when there is no `- name: FICUS_REMOTE_CONTEXTS` entry with a value. */
function addRemoteContextK8s(text, name) {
  const entry = /^([ \t]*)- name: ['"]?FICUS_REMOTE_CONTEXTS['"]?[ \t]*\r?\n\1 {2}value:[ \t]*(.*)$/m.exec(text);
  if (!entry) return undefined;
  const list = withContext(remoteContexts(entry[2]), name);
  const valueStart = entry.index + entry[0].length - entry[2].length;
  return `${text.slice(0, valueStart)}${list.join(',')}${text.slice(entry.index + entry[0].length)}`;
}

module.exports = {
  extract,
  // For tests and tooling.
  contextNames,
  exportedModule,
  addNestProject,
  addComposeService,
  addRemoteContextK8s,
  remoteContexts,
};
