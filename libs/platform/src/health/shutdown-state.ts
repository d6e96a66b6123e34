import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Flips when shutdown begins, before anything closes: readiness turns 503 at once so a load balancer
 * stops sending new requests while in-flight ones drain.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private shuttingDown = false;

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }

  beforeApplicationShutdown(): void {
    this.beginShutdown();
  }
}
