import { Command } from '@nestjs/cqrs';
import type { CallMeta, ChargeRequest, ChargeResult } from '@ficus/contracts';

export class ChargeCommand extends Command<ChargeResult> {
  constructor(
    readonly data: ChargeRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
