// The Node test environment plus one check: a test file must close every connection it opened (Postgres,
// Redis, HTTP keep-alive) by the end of its own afterAll hooks. A connection left open keeps Jest's worker
// busy after the file ends and hides real leaks in the code under test, so the file fails and names them.
import { TestEnvironment } from 'jest-environment-node';

const GRACE_MS = 1000;

function openConnections() {
  return process
    ._getActiveHandles()
    .filter((handle) => typeof handle.remotePort === 'number' && !handle.destroyed)
    .map((handle) => `${handle.remoteAddress}:${handle.remotePort}`);
}

export default class FicusTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async teardown() {
    await super.teardown();
    // Sockets being closed need a few ticks to go; give them a moment before calling them leaked.
    const deadline = Date.now() + GRACE_MS;
    let open = openConnections();
    while (open.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      open = openConnections();
    }
    if (open.length > 0) {
      throw new Error(
        `${this.testPath} left ${open.length} connection(s) open after its afterAll hooks (${[...new Set(open)].join(', ')}): close them`,
      );
    }
  }
}
