/**
 * Lets a plain Node child process of a test import the repository's TypeScript sources without a build:
 * an in-thread module hook compiles `.ts` with SWC, as jest.config.mjs does, and maps `@ficus/*` (and
 * `@ficus/platform/testing`) and `.js` imports of `.ts` files to the sources, as jest's moduleNameMapper
 * does. Import this module first (statically), then import TypeScript with dynamic `import()`.
 * Used by rpc-replica.mjs and event-consumer.process.mjs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const root = new URL('../../../', import.meta.url);
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
};

registerHooks({
  resolve(specifier, context, next) {
    if (specifier === '@ficus/platform/testing') {
      return { url: new URL('libs/platform/src/testing/index.ts', root).href, shortCircuit: true };
    }
    const lib = /^@ficus\/([a-z-]+)$/.exec(specifier);
    if (lib) return { url: new URL(`libs/${lib[1]}/src/index.ts`, root).href, shortCircuit: true };
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(ts)) return { url: ts.href, shortCircuit: true };
    }
    return next(specifier, context);
  },
  load(url, context, next) {
    if (!url.endsWith('.ts')) return next(url, context);
    const { code } = transformSync(readFileSync(new URL(url), 'utf8'), { ...swc, filename: fileURLToPath(url) });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
