import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CacheInvalidationBus, type ChangeRecord, Inbox, trackChanges } from '@ficus/platform';
import { PRODUCT_IMAGES } from '../../catalog.di-tokens.js';
import type { ProductImages, Tx } from '../../domain/ports.js';
import { RecordMediaReadyCommand } from './record-media-ready.command.js';

/**
 * Takes `media.asset-ready.v1` in once (inbox row and effect in one transaction): remembers the media as
 * ready with its URL, and products already given that media id show it from now on.
 */
@CommandHandler(RecordMediaReadyCommand)
export class RecordMediaReadyHandler implements ICommandHandler<RecordMediaReadyCommand> {
  constructor(
    private readonly inbox: Inbox,
    @Inject(PRODUCT_IMAGES) private readonly images: ProductImages,
    private readonly caches: CacheInvalidationBus,
  ) {}

  async execute({ mediaId, imageUrl, eventId }: RecordMediaReadyCommand): Promise<void> {
    // The inbox's transaction is not the context's runner, so the product views it changes are
    // recorded here and evicted once it has committed.
    let changes: ChangeRecord | undefined;
    await this.inbox.runOnce({ id: eventId }, async (manager) => {
      changes = trackChanges(manager);
      await this.images.recordReady(manager as unknown as Tx, mediaId, imageUrl, new Date());
    });
    if (changes?.size) await this.caches.committed(changes);
  }
}
