/**
 * One extracted context host (`npm run start:extracted -- <ctx>` without a build) in a process of its own,
 * straight from the TypeScript sources (ts-hooks.mjs compiles them as jest does), so a test can pause it
 * with SIGSTOP — a context that is up but does not answer in time — and resume it: home.e2e-spec.ts.
 * Configuration comes from the environment as in production; HOST_CONTEXT names the context.
 *
 * Stdout: `ready` once it takes requests. Exits when the parent goes away.
 */
import '../../../libs/platform/test/ts-hooks.mjs';

process.on('disconnect', () => process.exit(0));

await import('reflect-metadata');
const { bootstrapContextHost } = await import('@ficus/platform');
const { CONTEXT_MODULES } = await import('../src/app.module.ts');

const context = process.env.HOST_CONTEXT;
const module = CONTEXT_MODULES[context];
if (!module) throw new Error(`HOST_CONTEXT names no built context: ${context}`);
const host = await bootstrapContextHost({ context, module });
process.stdout.write('ready\n');
process.once('SIGTERM', () => void host.close().finally(() => process.exit(0)));
