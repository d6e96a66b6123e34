import { Command } from '@nestjs/cqrs';
import type { CallMeta } from '@ficus/contracts';
import type { NotificationPlan } from '../../domain/notification-plan.js';

/** Apply what one integration event means for its user (inbox item, sends), once per event. */
export class ReactToEventCommand extends Command<void> {
  constructor(
    readonly plan: NotificationPlan,
    readonly eventId: string,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
