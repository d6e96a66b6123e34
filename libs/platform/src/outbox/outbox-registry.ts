import { Injectable } from '@nestjs/common';
import type { ContextName } from '@ficus/contracts';
import type { OutboxRelay } from './outbox-relay.js';

/** The relays of the contexts hosted in this process, for health checks, metrics and admin tooling. */
@Injectable()
export class OutboxRegistry {
  private readonly relays = new Map<ContextName, OutboxRelay>();

  add(relay: OutboxRelay): void {
    this.relays.set(relay.context, relay);
  }

  all(): OutboxRelay[] {
    return [...this.relays.values()];
  }

  get(context: ContextName): OutboxRelay | undefined {
    return this.relays.get(context);
  }
}
