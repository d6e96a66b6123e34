import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inbox } from '@ficus/platform';
import type { NotificationPlan } from '../../domain/notification-plan.js';
import { SendJobs } from '../../infrastructure/jobs/send-jobs.js';
import { type NewSend, type Reach, ReactionRepository } from '../../infrastructure/persistence/reaction.repository.js';
import type { QueuedSend } from '../../infrastructure/persistence/send.repository.js';
import { ReactToEventCommand } from './react-to-event.command.js';

/**
 * In one transaction with the inbox row (so a redelivered event does nothing): the recipient's address,
 * the inbox item (always), and one send per channel the user's preferences allow — push once per device.
 * Two round trips per event: one read of the user's reach, one write of it all. The send jobs are queued
 * after commit.
 */
@CommandHandler(ReactToEventCommand)
export class ReactToEventHandler implements ICommandHandler<ReactToEventCommand> {
  constructor(
    private readonly inbox: Inbox,
    private readonly reactions: ReactionRepository,
    private readonly jobs: SendJobs,
  ) {}

  async execute({ plan, eventId }: ReactToEventCommand): Promise<void> {
    let queued: QueuedSend[] = [];
    // The effect may run in a shared batch that rolls back and then again alone (see Inbox): `queued` is
    // set by the run that counts, and used only when the event was taken in.
    const ran = await this.inbox.runOnce({ id: eventId }, async (manager) => {
      const reach = await this.reactions.reachOf(manager, plan.userId, plan.push !== undefined);
      const { userId, recipient, inbox } = plan;
      queued = await this.reactions.record(
        manager,
        { eventId, userId, recipient, inbox, sends: sendsFor(plan, reach) },
        new Date(),
      );
    });
    if (ran) await this.jobs.enqueue(queued);
  }
}

function sendsFor(plan: NotificationPlan, { preferences, devices }: Reach): NewSend[] {
  const sends: NewSend[] = [];
  if (plan.email && preferences.email) sends.push({ channel: 'email', recipient: plan.userId, message: plan.email });
  if (plan.push && preferences.push) {
    for (const device of devices) {
      const message = { ...plan.push, token: device.token, platform: device.platform };
      sends.push({ channel: 'push', recipient: device.id, message });
    }
  }
  return sends;
}
