// Proves the static half of ARCHITECTURE.md's extraction rules: every rule in .dependency-cruiser.cjs
// fires on a small violating repo under ./fixtures (and nothing else fires there), a clean repo with
// all the allowed shapes passes, and the real apps/ and libs/ pass. A rule that silently stopped
// matching (a typo in a regex, a lost tsConfig option) would otherwise look exactly like a clean build.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const fixtures = join(here, 'fixtures');

const require = createRequire(import.meta.url);
const config = require(join(repoRoot, '.dependency-cruiser.cjs')) as IConfiguration;

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Cruises `<root>/apps` and `<root>/libs` the way `npm run check:boundaries` does from `root`. */
async function violationsIn(root: string): Promise<Violation[]> {
  // The config names its tsconfig relative to the working directory; point it at root's own, so the
  // fixtures' @ficus/* aliases resolve inside the fixture.
  const tsConfigFile = join(root, 'tsconfig.json');
  const options: ICruiseOptions = {
    ...config.options,
    tsConfig: { fileName: tsConfigFile },
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  };
  const targets = ['apps', 'libs'].filter((dir) => existsSync(join(root, dir)));
  const { output } = await cruise(targets, options, undefined, {
    tsConfig: extractTSConfig(tsConfigFile),
  });
  const result = output as ICruiseResult;
  return result.summary.violations
    .map(({ rule, from, to }) => ({ rule: rule.name, from, to }))
    .sort((a, b) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`));
}

// The first cruise loads the TypeScript compiler; the real-repo cruise grows with the code.
const CRUISE_TIMEOUT_MS = 30_000;

const fixture = (name: string): Promise<Violation[]> => violationsIn(join(fixtures, name));

describe('architecture boundaries (.dependency-cruiser.cjs)', () => {
  it('checks alias imports through tsconfig paths, so @ficus/* cannot slip past the rules', () => {
    expect(config.options?.tsConfig).toEqual({ fileName: 'tsconfig.json' });
    expect(config.options?.tsPreCompilationDeps).toBe(true);
  });

  it(
    'accepts contexts on platform and contracts, apps on context indexes, and type-only cycles',
    async () => {
      await expect(fixture('clean')).resolves.toEqual([]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects a context importing another context by alias or by relative path',
    async () => {
      await expect(fixture('context-imports-other-context')).resolves.toEqual([
        {
          rule: 'context-imports-other-context',
          from: 'libs/identity/src/identity.module.ts',
          to: 'libs/catalog/src/index.ts',
        },
        {
          rule: 'context-imports-other-context',
          from: 'libs/identity/src/stock-check.ts',
          to: 'libs/catalog/src/product.repository.ts',
        },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects cross-context imports from unit, integration and e2e tests as well, type-only ones included',
    async () => {
      await expect(fixture('context-imports-other-context-in-tests')).resolves.toEqual([
        {
          rule: 'context-imports-other-context',
          from: 'libs/identity/src/identity.module.spec.ts',
          to: 'libs/catalog/src/index.ts',
        },
        {
          rule: 'context-imports-other-context',
          from: 'libs/identity/test/login.e2e-spec.ts',
          to: 'libs/catalog/src/index.ts',
        },
        {
          rule: 'context-imports-other-context',
          from: 'libs/identity/test/register-user.int-spec.ts',
          to: 'libs/catalog/src/catalog.module.ts',
        },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects any library, platform included, importing from an app',
    async () => {
      await expect(fixture('context-imports-app')).resolves.toEqual([
        {
          rule: 'context-imports-app',
          from: 'libs/identity/src/identity.module.ts',
          to: 'apps/monolith/src/app.constants.ts',
        },
        {
          rule: 'context-imports-app',
          from: 'libs/platform/src/index.ts',
          to: 'apps/monolith/src/app.constants.ts',
        },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects contracts importing platform, a context, an npm package or a node built-in',
    async () => {
      const violations = await fixture('contracts-only-types-and-validation');

      expect(violations.map(({ rule }) => rule)).toEqual(Array(4).fill('contracts-only-types-and-validation'));
      expect(violations.map(({ from, to }) => [from, to])).toEqual([
        ['libs/contracts/src/identity/identity.patterns.ts', 'libs/identity/src/index.ts'],
        ['libs/contracts/src/identity/identity.patterns.ts', 'libs/platform/src/index.ts'],
        // Resolved outside the fixture, into the repo's node_modules.
        ['libs/contracts/src/messaging/call-meta.ts', expect.stringMatching(/node_modules\/@nestjs\/common\//)],
        ['libs/contracts/src/messaging/call-meta.ts', 'crypto'],
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects platform importing a context by alias or by relative path',
    async () => {
      await expect(fixture('platform-imports-context')).resolves.toEqual([
        {
          rule: 'platform-imports-context',
          from: 'libs/platform/src/messaging/context-client.ts',
          to: 'libs/catalog/src/catalog.module.ts',
        },
        {
          rule: 'platform-imports-context',
          from: 'libs/platform/src/messaging/context-client.ts',
          to: 'libs/identity/src/index.ts',
        },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects the facade, its tests and extracted hosts importing anything but a context index',
    async () => {
      await expect(fixture('facade-imports-context-internals')).resolves.toEqual([
        {
          rule: 'facade-imports-context-internals',
          from: 'apps/extracted/identity/src/main.ts',
          to: 'libs/identity/src/identity.module.ts',
        },
        {
          rule: 'facade-imports-context-internals',
          from: 'apps/monolith/src/app.module.ts',
          to: 'libs/identity/src/identity.module.ts',
        },
        {
          rule: 'facade-imports-context-internals',
          from: 'apps/monolith/test/identity.e2e-spec.ts',
          to: 'libs/identity/src/domain/user.aggregate.ts',
        },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects an extracted host importing a second context or the monolith',
    async () => {
      await expect(fixture('extracted-host-imports-beyond-its-context')).resolves.toEqual([
        {
          rule: 'extracted-host-imports-beyond-its-context',
          from: 'apps/extracted/identity/src/main.ts',
          to: 'apps/monolith/src/app.constants.ts',
        },
        {
          rule: 'extracted-host-imports-beyond-its-context',
          from: 'apps/extracted/identity/src/main.ts',
          to: 'libs/catalog/src/index.ts',
        },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects imports of missing files and of undeclared @ficus aliases',
    async () => {
      await expect(fixture('not-to-unresolvable')).resolves.toEqual([
        { rule: 'not-to-unresolvable', from: 'libs/identity/src/index.ts', to: './identity.di-tokens.js' },
        { rule: 'not-to-unresolvable', from: 'libs/identity/src/index.ts', to: '@ficus/nowhere' },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'rejects an import cycle made of value imports',
    async () => {
      await expect(fixture('no-circular')).resolves.toEqual([
        {
          rule: 'no-circular',
          from: 'libs/identity/src/domain/user.aggregate.ts',
          to: 'libs/identity/src/domain/user.events.ts',
        },
      ]);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'finds no violations in the real apps and libs',
    async () => {
      await expect(violationsIn(repoRoot)).resolves.toEqual([]);
    },
    CRUISE_TIMEOUT_MS,
  );
});
