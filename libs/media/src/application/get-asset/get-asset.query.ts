import type { CallMeta, GetAssetRequest } from '@ficus/contracts';

export class GetAssetQuery {
  constructor(
    readonly data: GetAssetRequest,
    readonly meta: CallMeta,
  ) {}
}
