import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { CacheInvalidationBus, Inbox } from '@ficus/platform';
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
    // The inbox's transaction is not the context's runner: the product views it changes are evicted
    // once it has committed all the same.
    await this.caches.evictingAfterCommit(
      (effect: (manager: EntityManager) => Promise<void>) => this.inbox.runOnce({ id: eventId }, effect),
      (manager) =>
        this.images.recordReady(manager as unknown as Tx, mediaId, imageUrl, new Date()).then(() => undefined),
    );
  }
}
