// The baseline for `npm run bench`: the smallest Fastify 5 server that answers like Ficus's liveness probe.
// Same Node binary, same route, logger off, no plugins. Started by bench/run.mjs as a child process;
// prints one JSON line with `"event":"bare.listening"` once it listens.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';

const app = Fastify({ logger: false });
app.get('/health/live', async () => ({ status: 'ok' }));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    app.close().finally(() => process.exit(0));
  });
}

try {
  await app.listen({ port, host });
  const address = app.server.address();
  process.stdout.write(
    `${JSON.stringify({ event: 'bare.listening', port: address.port, startupMs: Math.round(performance.now()) })}\n`,
  );
} catch (error) {
  process.stderr.write(`bare-fastify failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
}
