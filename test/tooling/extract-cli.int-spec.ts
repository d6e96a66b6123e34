// `npm run extract` end to end through the real nest CLI (`nest g` exits 0 even when the schematic
// refuses, so scripts/extract.mjs must read its output): refusals exit 1 with the schematic's message,
// a dry run lists the changes and writes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXT_NAMES } from '@ficus/contracts';

/** Each case starts the nest CLI (a few seconds on this machine). */
const TIMEOUT_MS = 60_000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function extract(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/extract.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: TIMEOUT_MS - 5_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const built = CONTEXT_NAMES.filter((name) => existsSync(join(repoRoot, 'libs', name, 'src/index.ts')));
const extracted = built.filter((name) => existsSync(join(repoRoot, 'apps/extracted', name)));
const extractable = built.filter((name) => !extracted.includes(name));

describe('npm run extract (scripts/extract.mjs through nest g)', () => {
  it(
    'exits 1 with the schematic message for an unknown context',
    () => {
      const { status, stderr } = extract('billing');
      expect(status).toBe(1);
      expect(stderr).toContain('Cannot extract "billing": "billing" is not a context of Ficus.');
      expect(stderr).toContain('Nothing was changed.');
      expect(stderr).not.toContain('Failed to execute command');
    },
    TIMEOUT_MS,
  );

  (extracted.length ? it : it.skip)(
    'exits 1 for a context that is already extracted',
    () => {
      const name = extracted[0];
      const nestCli = readFileSync(join(repoRoot, 'nest-cli.json'), 'utf8');
      const { status, stderr } = extract(name);
      expect(status).toBe(1);
      expect(stderr).toContain(`apps/extracted/${name} already exists: "${name}" is already extracted.`);
      expect(readFileSync(join(repoRoot, 'nest-cli.json'), 'utf8')).toBe(nestCli);
    },
    TIMEOUT_MS,
  );

  (extractable.length ? it : it.skip)(
    'lists the changes of a dry run and writes nothing',
    () => {
      const name = extractable[0];
      const { status, stdout } = extract(name, '--dry-run');
      expect(status).toBe(0);
      expect(stdout).toContain(`CREATE apps/extracted/${name}/src/main.ts`);
      expect(stdout).toContain('UPDATE nest-cli.json');
      expect(stdout).toContain('UPDATE docker/compose.yaml');
      expect(stdout).toContain('dry run: nothing was written');
      expect(existsSync(join(repoRoot, 'apps/extracted', name))).toBe(false);
    },
    TIMEOUT_MS,
  );

  it(
    '--help lists the contexts and what can be extracted',
    () => {
      const { status, stdout } = extract('--help');
      expect(status).toBe(0);
      expect(stdout).toContain('usage: npm run extract -- <context> [--dry-run]');
      for (const name of CONTEXT_NAMES) expect(stdout).toContain(`  ${name} `);
    },
    TIMEOUT_MS,
  );
});
