/**
 * The monolith in a process of its own, straight from the TypeScript sources (ts-hooks.mjs compiles them
 * as jest does), so a test can SIGKILL it and start it again: orders-crash.e2e-spec.ts. Configuration
 * comes from the environment exactly as in production (DATABASE_URL, REDIS_URL, PORT, …).
 *
 * Stdout: `ready <url>` once it listens. Exits when the parent goes away.
 */
import '../../../libs/platform/test/ts-hooks.mjs';

process.on('disconnect', () => process.exit(0));

await import('reflect-metadata');
const { loadConfig } = await import('@ficus/platform');
const { createApp } = await import('../src/app.factory.ts');

const config = loadConfig();
const app = await createApp();
await app.listen({ port: config.port, host: '127.0.0.1' });
process.stdout.write(`ready ${await app.getUrl()}\n`);
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
