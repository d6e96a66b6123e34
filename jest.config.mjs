// Jest runs the TypeScript sources through SWC as ES modules (Nest 12 is ESM-only), hence
// `--experimental-vm-modules` in the npm scripts. Three projects: unit (*.spec.ts, no I/O),
// integration (*.int-spec.ts, real Postgres/Redis) and e2e (*.e2e-spec.ts, real HTTP server).
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const shared = {
  rootDir: '.',
  // node + a check that each file closes its connections (test/jest.environment.mjs).
  testEnvironment: '<rootDir>/test/jest.environment.mjs',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@ficus/platform/testing$': '<rootDir>/libs/platform/src/testing/index.ts',
    '^@ficus/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: ['<rootDir>/test/jest.preload.mjs'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/fixtures/'],
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,tools}/**/*.spec.ts'] },
    { ...shared, displayName: 'int', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
  ],
};
