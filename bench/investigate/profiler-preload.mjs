// Preloaded (`node --import`) into a server by bench/investigate/profile.mjs. SIGWINCH starts a CPU
// profile (inspector, main thread); the next SIGWINCH stops it and writes `<PROFILE_DIR>/<PROFILE_NAME>`.
// (SIGWINCH because Nest's enableShutdownHooks() treats SIGUSR2 and most others as "shut down".)
// PROFILE_FROM_START=1 starts profiling as soon as the preload runs (for start-up profiles).
import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import { join } from 'node:path';

const session = new inspector.Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );

let profiling = false;
async function start() {
  profiling = true;
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: Number(process.env.PROFILE_INTERVAL_US ?? 200) });
  await post('Profiler.start');
  process.stderr.write('PROFILER started\n');
}
if (process.env.PROFILE_FROM_START === '1') await start();

process.on('SIGWINCH', async () => {
  try {
    if (!profiling) {
      await start();
    } else {
      profiling = false;
      const { profile } = await post('Profiler.stop');
      const file = join(process.env.PROFILE_DIR ?? '.', process.env.PROFILE_NAME ?? `server-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`PROFILER wrote ${file}\n`);
    }
  } catch (error) {
    process.stderr.write(`PROFILER failed: ${error.message}\n`);
  }
});
