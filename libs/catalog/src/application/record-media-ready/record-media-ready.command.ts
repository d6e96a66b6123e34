import type { CallMeta } from '@ficus/contracts';

/** Media announced an asset READY (`media.asset-ready.v1`, event `eventId`): products given it may show it. */
export class RecordMediaReadyCommand {
  constructor(
    readonly mediaId: string,
    readonly imageUrl: string,
    readonly eventId: string,
    readonly meta: CallMeta,
  ) {}
}
