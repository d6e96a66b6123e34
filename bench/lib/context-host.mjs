// A context host for a context that has no `apps/extracted/<context>` yet: what `npm run extract` generates
// (`bootstrapContextHost({ context, module: <Ctx>Module })`, see apps/extracted/*/src/main.ts), run from the
// build output. `BENCH_CONTEXT` names the context. lib/servers.mjs uses the generated host when it exists.
import 'reflect-metadata';

const context = process.env.BENCH_CONTEXT;
if (!context || !/^[a-z][a-z0-9-]*$/.test(context))
  throw new Error(`BENCH_CONTEXT is not a context name: "${context}"`);
const dist = new URL('../../dist/libs/', import.meta.url);
const { bootstrapContextHost } = await import(new URL('platform/src/index.js', dist).href);
const exports = await import(new URL(`${context}/src/index.js`, dist).href);
const module = Object.entries(exports).find(([name]) => name.endsWith('Module'))?.[1];
if (!module) throw new Error(`dist/libs/${context}/src/index.js exports no module`);
void bootstrapContextHost({ context, module });
