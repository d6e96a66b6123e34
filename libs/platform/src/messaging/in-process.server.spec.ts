import type { IntegrationEvent } from '@ficus/contracts';
import { currentCorrelationId, withCorrelationId } from '../logging/request-context.js';
import { InProcessServer } from './in-process.server.js';

const event = (correlationId: string): IntegrationEvent =>
  ({
    id: '0193a0c4-6b7e-7cc2-9f4e-2c1d5b3c8e10',
    name: 'catalog.thing-happened.v1',
    occurredAt: new Date().toISOString(),
    aggregateId: 'a',
    correlationId,
    source: 'catalog',
    payload: {},
  }) as IntegrationEvent;

describe('InProcessServer.deliver', () => {
  it("runs the consumer's handler with the event's correlation id bound (its log lines carry it), across awaits", async () => {
    const server = new InProcessServer();
    const seen: (string | undefined)[] = [];
    server.addHandler(
      'catalog.thing-happened.v1',
      async () => {
        seen.push(currentCorrelationId());
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(currentCorrelationId());
      },
      true,
      { consumer: 'notifications' },
    );
    // Delivered by a relay that is itself serving another request: the event's own id wins.
    await withCorrelationId('relay-pass', () => server.deliver(event('req-42'), 'notifications'));
    expect(seen).toEqual(['req-42', 'req-42']);
    expect(currentCorrelationId()).toBeUndefined();
  });
});
