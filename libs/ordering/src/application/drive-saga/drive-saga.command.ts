import { Command } from '@nestjs/cqrs';
import type { CallMeta } from '@ficus/contracts';

/** An event says an order's saga has work now (it was placed, or cancelled and owes compensation). */
export class DriveSagaCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    /** The integration event that brought the news; the inbox takes it in once. */
    readonly eventId: string,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
