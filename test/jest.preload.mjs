// Jest links CommonJS packages (e.g. @nestjs/throttler) before it evaluates the ES modules they
// require, and Node refuses require() of an ES module that is still linking. Loading Nest's ESM
// packages first, in the test's own module registry, makes those requires find them evaluated.
await import('reflect-metadata');
await import('@nestjs/common');
await import('@nestjs/core');
