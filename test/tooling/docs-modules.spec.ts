// `npm run docs:modules` (scripts/docs-modules.mjs): the module map generated from the real sources, its
// --check mode, a fixture repo with contexts the real one does not have yet, and the committed
// docs/modules.md being current (this is the CI check).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdentityPatterns, UserRegisteredV1 } from '@ficus/contracts';
import { collectModules, generateModulesDoc, runDocsModules, type Log } from '../../scripts/docs-modules.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function capture(): Log & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (m) => out.push(m), error: (m) => err.push(m) };
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('docs:modules on the real repository', () => {
  const doc = generateModulesDoc(repoRoot);
  const identitySection = doc.slice(doc.indexOf('\n## identity\n'));

  it('lists every identity message pattern and the event identity publishes', () => {
    expect(Object.values(IdentityPatterns).length).toBeGreaterThan(0);
    for (const [key, pattern] of Object.entries(IdentityPatterns)) {
      expect(identitySection).toContain(`| \`${pattern}\` |`);
      expect(identitySection).toContain(`\`IdentityPatterns.${key}\``);
    }
    expect(identitySection).toMatch(
      new RegExp(`### Publishes[\\s\\S]*\\| \`${UserRegisteredV1.name}\` \\| \`UserRegisteredV1\` \\|`),
    );
  });

  it('draws identity, its event and where it runs in the Mermaid diagram', () => {
    const diagram = doc.slice(doc.indexOf('```mermaid'), doc.indexOf('```\n', doc.indexOf('```mermaid') + 3));
    expect(diagram).toContain('flowchart LR');
    expect(diagram).toContain(`ctx_identity["identity<br/>${Object.keys(IdentityPatterns).length} patterns`);
    expect(diagram).toContain('ev_identity_user_registered_v1(["identity.user-registered.v1"])');
    expect(diagram).toContain('ctx_identity -->|publishes| ev_identity_user_registered_v1');
    const extracted = existsSync(join(repoRoot, 'apps/extracted/identity'));
    expect(diagram.includes('extractable: apps/extracted/identity')).toBe(extracted);
    expect(collectModules(repoRoot).contexts.find((c) => c.name === 'identity')?.extracted).toBe(extracted);
  });

  it('is deterministic', () => {
    expect(generateModulesDoc(repoRoot)).toBe(doc);
    expect(doc).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it('--check passes right after generating, and fails with a clear message once the file differs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ficus-docs-modules-'));
    try {
      const out = join(dir, 'modules.md');
      const log = capture();
      expect(runDocsModules(['--check'], { root: repoRoot, out, log })).toBe(1);
      expect(log.err.join('\n')).toMatch(/is out of date: it is missing\.\nRun `npm run docs:modules`/);

      expect(runDocsModules([], { root: repoRoot, out, log: capture() })).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(doc);
      expect(runDocsModules(['--check'], { root: repoRoot, out, log: capture() })).toBe(0);

      writeFileSync(out, doc.replace('identity.login.v1', 'identity.log-in.v1'));
      const stale = capture();
      expect(runDocsModules(['--check'], { root: repoRoot, out, log: stale })).toBe(1);
      expect(stale.err.join('\n')).toMatch(/differs from the sources \(first at line \d+\)[\s\S]*npm run docs:modules/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the committed docs/modules.md is up to date (run `npm run docs:modules` when this fails)', () => {
    const log = capture();
    const code = runDocsModules(['--check'], { root: repoRoot, log });
    expect({ code, errors: log.err }).toEqual({ code: 0, errors: [] });
  });
});

describe('docs:modules on a repository with more contexts', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ficus-docs-fixture-'));
    write(
      root,
      'libs/contracts/src/contexts.ts',
      "export const CONTEXT_NAMES = ['identity', 'catalog', 'ordering', 'notifications', 'media'] as const;\n",
    );
    write(
      root,
      'libs/contracts/src/messaging/pattern-kind.ts',
      'const QUERY_VERBS = /^(get|list|search|ping)(-|$)/;\n',
    );
    write(
      root,
      'libs/contracts/src/catalog/catalog.patterns.ts',
      "export const CatalogPatterns = {\n  getProduct: 'catalog.get-product.v1',\n  // reserveStock: 'catalog.old.v1',\n  reserveStock: \"catalog.reserve-stock.v1\",\n} as const;\n",
    );
    write(
      root,
      'libs/contracts/src/catalog/events/stock-reserved.v1.ts',
      "export const StockReservedV1 = defineEvent<Payload<{ a: 1 }>>(\n  'catalog',\n  'catalog.stock-reserved.v1',\n);\n",
    );
    write(
      root,
      'libs/contracts/src/ordering/events/order-placed.v1.ts',
      "export const OrderPlacedV1 = defineEvent<OrderPlacedV1>('ordering', 'ordering.order-placed.v1');\n",
    );
    write(
      root,
      'libs/contracts/src/subscriptions.ts',
      "import { StockReservedV1 } from './catalog/index.js';\nexport const EVENT_SUBSCRIPTIONS: Readonly<Record<string, readonly ContextName[]>> = {\n  // a comment: 'x.y.v1': ['media'],\n  [StockReservedV1.name]: ['ordering'],\n  'ordering.order-placed.v1': ['notifications', 'catalog'],\n};\n",
    );
    write(root, 'libs/catalog/src/index.ts', "export { CatalogModule } from './catalog.module.js';\n");
    write(root, 'libs/platform/src/index.ts', '');
    write(root, 'libs/ordering/src/index.ts', "export { OrderingModule } from './ordering.module.js';\n");
    write(root, 'apps/extracted/catalog/src/main.ts', '');
    write(
      root,
      'libs/ordering/src/domain/order.saga.ts',
      "export const ORDER_TRANSITIONS: readonly T[] = [\n  { from: '[*]', to: 'OPEN', on: 'placed (202)' },\n  // { from: 'OPEN', to: 'LOST', on: 'commented out' },\n  { from: 'OPEN', to: 'PAID', on: \"payment succeeded\" },\n  { from: 'PAID', to: '[*]', on: 'done' },\n];\n",
    );
    write(
      root,
      'libs/ordering/src/domain/order.saga.spec.ts',
      "export const SPEC_TRANSITIONS = [{ from: 'A', to: 'B', on: 'x' }];\n",
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the contexts, patterns (with their kind), events and subscriptions', () => {
    const model = collectModules(root);
    expect(model.contexts.map((c) => [c.name, c.inLibs, c.extracted])).toEqual([
      ['catalog', true, true],
      ['notifications', false, false],
      ['ordering', true, false],
    ]);
    expect(model.planned).toEqual(['identity', 'media']);
    const [catalog, notifications, ordering] = model.contexts;
    expect(catalog.patterns.map((p) => [p.pattern, p.kind, p.constant])).toEqual([
      ['catalog.get-product.v1', 'query', 'CatalogPatterns.getProduct'],
      ['catalog.reserve-stock.v1', 'command', 'CatalogPatterns.reserveStock'],
    ]);
    expect(catalog.publishes.map((e) => [e.name, e.constant, e.consumers])).toEqual([
      ['catalog.stock-reserved.v1', 'StockReservedV1', ['ordering']],
    ]);
    expect(catalog.consumes).toEqual([{ name: 'ordering.order-placed.v1', source: 'ordering' }]);
    expect(notifications.consumes).toEqual([{ name: 'ordering.order-placed.v1', source: 'ordering' }]);
    expect(ordering.publishes[0].consumers).toEqual(['catalog', 'notifications']);
    expect(ordering.consumes).toEqual([{ name: 'catalog.stock-reserved.v1', source: 'catalog' }]);
  });

  it('renders where each runs, and consumers as edges in the diagram', () => {
    const doc = generateModulesDoc(root);
    expect(doc).toContain('catalog<br/>');
    expect(doc).toContain('extractable: apps/extracted/catalog');
    expect(doc).toContain(
      '| [catalog](#catalog) | monolith; extractable (`apps/extracted/catalog`), remote when listed in `FICUS_REMOTE_CONTEXTS` |',
    );
    expect(doc).not.toContain('own process: `apps/extracted');
    expect(doc).toContain('| [ordering](#ordering) | monolith |');
    expect(doc).toContain('ctx_notifications["notifications<br/>not built yet"]:::planned');
    expect(doc).toContain('ev_ordering_order_placed_v1 -.->|consumed by| ctx_notifications');
    expect(doc).toContain('ev_catalog_stock_reserved_v1 -.->|consumed by| ctx_ordering');
    expect(doc).toContain('Planned (in `CONTEXT_NAMES`, no code yet): identity, media.');
    expect(doc).not.toContain('catalog.old.v1');
  });

  it("draws a process manager's transitions table as a state diagram in its context's section", () => {
    const doc = generateModulesDoc(root);
    const ordering = doc.slice(doc.indexOf('\n## ordering\n'));
    expect(ordering).toContain(
      [
        '### Process manager: `ORDER_TRANSITIONS`',
        '',
        'The state machine in `libs/ordering/src/domain/order.saga.ts`; the code refuses any other move.',
        '',
        '```mermaid',
        'stateDiagram-v2',
        '  [*] --> OPEN: placed (202)',
        '  OPEN --> PAID: payment succeeded',
        '  PAID --> [*]: done',
        '```',
      ].join('\n'),
    );
    expect(doc).not.toContain('LOST');
    expect(doc).not.toContain('SPEC_TRANSITIONS');
    expect(doc.slice(doc.indexOf('\n## catalog\n'), doc.indexOf('\n## notifications\n'))).not.toContain('stateDiagram');
  });
});
