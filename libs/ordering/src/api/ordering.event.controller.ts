import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  type CallMeta,
  type IntegrationEvent,
  OrderCancelledV1,
  OrderPlacedV1,
  PaymentFailedV1,
  PaymentSucceededV1,
} from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import { DriveSagaCommand } from '../application/drive-saga/drive-saga.command.js';
import { RecordPaymentOutcomeCommand } from '../application/record-payment-outcome/record-payment-outcome.command.js';

type OrderEvent = IntegrationEvent<{ orderId?: unknown; reason?: unknown }>;
/** `@EventPattern` types the handler's data by the pattern's type; ours is a plain event name. */
const On = (name: string) => EventPattern<Record<string, OrderEvent>>(name, { consumer: 'ordering' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The order an event is about; an event without one is a poison message (parked after its retries). */
function orderIdOf(event: OrderEvent): string {
  const orderId = event?.payload?.orderId;
  if (typeof orderId !== 'string' || !UUID.test(orderId) || typeof event.id !== 'string') {
    throw new ValidationFailed([{ field: 'payload.orderId', message: 'the event names no order' }]);
  }
  return orderId.toLowerCase();
}

const metaOf = (event: IntegrationEvent): CallMeta => ({ correlationId: event.correlationId, actor: null });

/**
 * The events that drive the order saga (subscriptions in `EVENT_SUBSCRIPTIONS`): ordering's own
 * placed/cancelled facts start the saga and its compensation, payments' verdicts move it on. Each arrives
 * at least once; the handlers take each in once through the inbox.
 */
@Controller()
export class OrderingEventController {
  constructor(private readonly commands: CommandBus) {}

  @On(OrderPlacedV1.name)
  onOrderPlaced(@Payload() event: OrderEvent) {
    return this.commands.execute(new DriveSagaCommand(orderIdOf(event), event.id, metaOf(event)));
  }

  @On(OrderCancelledV1.name)
  onOrderCancelled(@Payload() event: OrderEvent) {
    return this.commands.execute(new DriveSagaCommand(orderIdOf(event), event.id, metaOf(event)));
  }

  @On(PaymentSucceededV1.name)
  onPaymentSucceeded(@Payload() event: OrderEvent) {
    const outcome = { type: 'succeeded' as const };
    return this.commands.execute(new RecordPaymentOutcomeCommand(orderIdOf(event), outcome, event.id, metaOf(event)));
  }

  @On(PaymentFailedV1.name)
  onPaymentFailed(@Payload() event: OrderEvent) {
    const reason = event?.payload?.reason === 'DECLINED' ? 'DECLINED' : 'UNAVAILABLE';
    const outcome = { type: 'failed' as const, reason } as const;
    return this.commands.execute(new RecordPaymentOutcomeCommand(orderIdOf(event), outcome, event.id, metaOf(event)));
  }
}
