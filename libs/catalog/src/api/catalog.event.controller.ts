import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type IntegrationEvent, MediaAssetReadyV1 } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import { RecordMediaReadyCommand } from '../application/record-media-ready/record-media-ready.command.js';

type ReadyEvent = IntegrationEvent<{ mediaId?: unknown; variants?: { medium?: { url?: unknown } } }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MEDIA_PATH = /^\/v1\/media\/[0-9a-f-]{36}\/[a-z]+$/;

/**
 * Other contexts' facts catalog consumes (subscriptions in `EVENT_SUBSCRIPTIONS`), each taken in once
 * through catalog's inbox. Products show the `medium` variant of their image.
 */
@Controller()
export class CatalogEventController {
  constructor(private readonly commands: CommandBus) {}

  @EventPattern<Record<string, ReadyEvent>>(MediaAssetReadyV1.name, { consumer: 'catalog' })
  onMediaReady(@Payload() event: ReadyEvent) {
    const mediaId = event?.payload?.mediaId;
    const url = event?.payload?.variants?.medium?.url;
    // A malformed event is a poison message: refused, retried, then parked for an operator.
    if (typeof mediaId !== 'string' || !UUID.test(mediaId) || typeof url !== 'string' || !MEDIA_PATH.test(url)) {
      throw new ValidationFailed([{ field: 'payload', message: 'the event names no media or no medium variant' }]);
    }
    const meta = { correlationId: event.correlationId, actor: null };
    return this.commands.execute(new RecordMediaReadyCommand(mediaId.toLowerCase(), url, event.id, meta));
  }
}
