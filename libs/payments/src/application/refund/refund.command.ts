import { Command } from '@nestjs/cqrs';
import type { CallMeta, RefundRequest, RefundResult } from '@ficus/contracts';

export class RefundCommand extends Command<RefundResult> {
  constructor(
    readonly data: RefundRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
