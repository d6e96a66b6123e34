import type { CallMeta, GetVariantRequest } from '@ficus/contracts';

export class GetVariantQuery {
  constructor(
    readonly data: GetVariantRequest,
    readonly meta: CallMeta,
  ) {}
}
