import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { Inbox } from '@ficus/platform';
import type { NotificationPlan } from '../../domain/notification-plan.js';
import { SendJobs } from '../../infrastructure/jobs/send-jobs.js';
import { DeviceRepository } from '../../infrastructure/persistence/device.repository.js';
import { InboxRepository } from '../../infrastructure/persistence/inbox.repository.js';
import { PreferenceRepository } from '../../infrastructure/persistence/preference.repository.js';
import { RecipientRepository } from '../../infrastructure/persistence/recipient.repository.js';
import { type NewSend, type QueuedSend, SendRepository } from '../../infrastructure/persistence/send.repository.js';
import { ReactToEventCommand } from './react-to-event.command.js';

/**
 * In one transaction with the inbox row (so a redelivered event does nothing): the recipient's address,
 * the inbox item (always), and one send per channel the user's preferences allow — push once per device.
 * The send jobs are queued after commit.
 */
@CommandHandler(ReactToEventCommand)
export class ReactToEventHandler implements ICommandHandler<ReactToEventCommand> {
  constructor(
    private readonly inbox: Inbox,
    private readonly items: InboxRepository,
    private readonly recipients: RecipientRepository,
    private readonly preferences: PreferenceRepository,
    private readonly devices: DeviceRepository,
    private readonly sends: SendRepository,
    private readonly jobs: SendJobs,
  ) {}

  async execute({ plan, eventId }: ReactToEventCommand): Promise<void> {
    let queued: QueuedSend[] = [];
    // The effect may run in a shared batch that rolls back and then again alone (see Inbox): `queued` is
    // set by the run that counts, and used only when the event was taken in.
    const ran = await this.inbox.runOnce({ id: eventId }, async (manager) => {
      const now = new Date();
      if (plan.recipient) await this.recipients.save(manager, plan.userId, plan.recipient, now);
      if (plan.inbox) await this.items.add(manager, plan.userId, eventId, plan.inbox, now);
      queued = await this.sends.create(manager, eventId, await this.sendsFor(manager, plan), now);
    });
    if (ran) await this.jobs.enqueue(queued);
  }

  private async sendsFor(manager: EntityManager, plan: NotificationPlan): Promise<NewSend[]> {
    const prefs = await this.preferences.get(plan.userId, manager);
    const { userId } = plan;
    const sends: NewSend[] = [];
    if (plan.email && prefs.email) sends.push({ channel: 'email', recipient: userId, userId, message: plan.email });
    if (plan.push && prefs.push) {
      for (const device of await this.devices.listForUser(manager, userId)) {
        const message = { ...plan.push, token: device.token, platform: device.platform };
        sends.push({ channel: 'push', recipient: device.id, userId, message });
      }
    }
    return sends;
  }
}
