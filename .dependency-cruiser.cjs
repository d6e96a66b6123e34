// Static half of ARCHITECTURE.md "Rules that make extraction possible" (the runtime half walks Nest's
// module graph). Run with `npm run check:boundaries`; test/boundaries/boundaries.spec.ts proves that
// each rule fires on a violating fixture and that the real repo is clean.
//
// Paths are matched relative to the cruise's base directory, so every rule anchors on `^apps/` or
// `^libs/`. Contexts are "every folder under libs/ except platform and contracts": the rules capture
// the folder name as a group ($1) instead of listing contexts, so a new context is covered the day its
// folder appears. Test files (*.spec.ts, *.int-spec.ts, *.e2e-spec.ts, libs/*/test, apps/*/test) are
// deliberately not exempt from anything: a test that reaches into another context couples the two just
// as much as production code does.

/** Folders under libs/ that are shared plumbing, not bounded contexts. */
const SHARED_LIBS = 'platform|contracts';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'context-imports-other-context',
      comment:
        'A context (libs/<ctx>) depends only on libs/contracts and libs/platform. Talking to another ' +
        'context goes through a contract message or an integration event, never an import, or the ' +
        'context could not be extracted into its own process.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/', pathNot: `^libs/(${SHARED_LIBS})/` },
      to: { path: '^libs/[^/]+/', pathNot: `^libs/($1|${SHARED_LIBS})/` },
    },
    {
      name: 'context-imports-app',
      comment:
        'Nothing under libs/ (contexts, platform or contracts) may import from apps/: libraries are ' +
        'mounted by apps, not the other way round, and an extracted host must be able to run a context ' +
        'without the facade.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'contracts-only-types-and-validation',
      comment:
        'libs/contracts is the only API the contexts share, so it stays plain data: it may import ' +
        'itself, class-validator and class-transformer, and nothing else - no platform, no context, no ' +
        'app, no other npm package, not even a node built-in.',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: {
        pathNot: ['^libs/contracts/', '(^|/)node_modules/class-validator/', '(^|/)node_modules/class-transformer/'],
      },
    },
    {
      name: 'platform-imports-context',
      comment:
        'libs/platform is plumbing every context builds on; it may use libs/contracts but must not ' +
        'know any context, or every context would transitively depend on the others.',
      severity: 'error',
      from: { path: '^libs/platform/' },
      to: { path: '^libs/[^/]+/', pathNot: `^libs/(${SHARED_LIBS})/` },
    },
    {
      name: 'facade-imports-context-internals',
      comment:
        'Apps (the monolith facade and extracted hosts) see a context only through its module, ' +
        'exported by libs/<ctx>/src/index.ts (alias @ficus/<ctx>). Anything else in the context is ' +
        'internal; the facade reaches it through contracts.',
      severity: 'error',
      from: { path: '^apps/' },
      to: {
        path: '^libs/[^/]+/',
        pathNot: [`^libs/(${SHARED_LIBS})/`, '^libs/[^/]+/src/index\\.ts$'],
      },
    },
    {
      name: 'extracted-host-imports-beyond-its-context',
      comment:
        'apps/extracted/<ctx> hosts exactly one context: it may import libs/<ctx> (through its index, ' +
        'see facade-imports-context-internals), platform, contracts and its own files - not another ' +
        'context, not the monolith, not another host.',
      severity: 'error',
      from: { path: '^apps/extracted/([^/]+)/' },
      to: {
        path: '^(apps|libs)/',
        pathNot: [`^libs/($1|${SHARED_LIBS})/`, '^apps/extracted/$1/'],
      },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        "An import dependency-cruiser can't resolve is either a bug or an alias missing from " +
        'tsconfig.json - in which case the boundary rules above could not see where it points.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      comment:
        'Circular imports make module load order matter (undefined classes in Nest decorators and ' +
        'providers). A cycle with a type-only edge in it is erased at compile time and harmless.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    // Without this, alias imports (@ficus/*) are unresolvable or invisible and pass the rules silently.
    tsConfig: { fileName: 'tsconfig.json' },
    // See `import type` too: a type import still couples two contexts' code.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '^test/boundaries/fixtures/'] },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      // Nest 12 and friends are ESM packages that publish an `exports` map.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
