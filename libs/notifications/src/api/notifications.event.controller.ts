import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type CallMeta,
  CANCELLATION_REASONS,
  type IntegrationEvent,
  OrderCancelledV1,
  OrderConfirmedV1,
  UserRegisteredV1,
} from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import { ReactToEventCommand } from '../application/react-to-event/react-to-event.command.js';
import {
  type NotificationPlan,
  orderCancelledPlan,
  orderConfirmedPlan,
  welcomePlan,
} from '../domain/notification-plan.js';

type AnyEvent = IntegrationEvent<Record<string, unknown>>;
/** `@EventPattern` types the handler's data by the pattern's type; ours is a plain event name. */
const On = (name: string) => EventPattern<Record<string, AnyEvent>>(name, { consumer: 'notifications' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENCY = /^[A-Z]{3}$/;

/** Reads the payload fields a plan needs; a malformed event is a poison message (parked after its retries). */
function fields(event: AnyEvent, spec: Record<string, (v: unknown) => boolean>): Record<string, never> {
  const payload = event?.payload ?? {};
  const bad = Object.entries(spec).filter(([key, ok]) => !ok(payload[key]));
  if (typeof event?.id !== 'string' || !UUID.test(event.id) || bad.length) {
    throw new ValidationFailed(bad.map(([key]) => ({ field: `payload.${key}`, message: 'missing or malformed' })));
  }
  return payload as Record<string, never>;
}

const uuid = (v: unknown) => typeof v === 'string' && UUID.test(v);
const text = (max: number) => (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= max;
const cents = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const currency = (v: unknown) => typeof v === 'string' && CURRENCY.test(v);
const reason = (v: unknown) => (CANCELLATION_REASONS as readonly unknown[]).includes(v);

/**
 * The events notifications reacts to (subscriptions in `EVENT_SUBSCRIPTIONS`); nobody calls it to send.
 * Each arrives at least once; the handler takes each in once through the inbox.
 */
@Controller()
export class NotificationsEventController {
  constructor(private readonly commands: CommandBus) {}

  @On(UserRegisteredV1.name)
  onUserRegistered(@Payload() event: AnyEvent) {
    const p = fields(event, { userId: uuid, email: text(320), name: text(200) });
    return this.react(event, welcomePlan({ userId: lower(p.userId), email: p.email, name: p.name }));
  }

  @On(OrderConfirmedV1.name)
  onOrderConfirmed(@Payload() event: AnyEvent) {
    const p = fields(event, { orderId: uuid, userId: uuid, totalCents: cents, currency });
    const { totalCents, currency: cur } = p;
    return this.react(
      event,
      orderConfirmedPlan({ orderId: lower(p.orderId), userId: lower(p.userId), totalCents, currency: cur }),
    );
  }

  @On(OrderCancelledV1.name)
  onOrderCancelled(@Payload() event: AnyEvent) {
    const p = fields(event, { orderId: uuid, userId: uuid, reason });
    const plan = orderCancelledPlan({ orderId: lower(p.orderId), userId: lower(p.userId), reason: p.reason });
    return this.react(event, plan);
  }

  private react(event: AnyEvent, plan: NotificationPlan) {
    const meta: CallMeta = { correlationId: event.correlationId, actor: null };
    return this.commands.execute(new ReactToEventCommand(plan, event.id, meta));
  }
}

const lower = (value: string) => value.toLowerCase();
