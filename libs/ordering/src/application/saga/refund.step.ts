import { Inject, Injectable } from '@nestjs/common';
import type { CallMeta } from '@ficus/contracts';
import type { Order } from '../../domain/order.aggregate.js';
import type { PaymentsGateway } from '../../domain/ports.js';
import { PAYMENTS_GATEWAY } from '../../ordering.di-tokens.js';
import type { SagaStepHandler } from './saga-step.js';

/**
 * Compensation: refunds a captured charge; a charge still in flight is marked so that payments refunds it
 * the moment it succeeds ("refund wins"). Idempotent per order in payments.
 */
@Injectable()
export class RefundStep implements SagaStepHandler {
  constructor(@Inject(PAYMENTS_GATEWAY) private readonly payments: PaymentsGateway) {}

  async run(order: Order, meta: CallMeta): Promise<void> {
    await this.payments.refund(order.id, meta);
    order.refundRequested(new Date());
  }
}
