import { Inject, Injectable } from '@nestjs/common';
import type { CallMeta } from '@ficus/contracts';
import type { Order } from '../../domain/order.aggregate.js';
import type { PaymentsGateway } from '../../domain/ports.js';
import { PAYMENTS_GATEWAY } from '../../ordering.di-tokens.js';
import type { SagaStepHandler } from './saga-step.js';

/**
 * STOCK_RESERVED → AWAITING_PAYMENT. Payments stores the charge (once per order) and answers at once; the
 * provider's verdict arrives later as `payments.payment-succeeded.v1` / `payments.payment-failed.v1`.
 */
@Injectable()
export class ChargeStep implements SagaStepHandler {
  constructor(@Inject(PAYMENTS_GATEWAY) private readonly payments: PaymentsGateway) {}

  async run(order: Order, meta: CallMeta): Promise<void> {
    const o = order.snapshot();
    const outcome = o.saga.paymentToken
      ? await this.payments.charge(
          {
            orderId: o.id,
            userId: o.userId,
            amountCents: o.totalCents,
            currency: o.currency,
            paymentToken: o.saga.paymentToken,
          },
          meta,
        )
      : 'refused';
    if (outcome === 'requested') order.chargeRequested(new Date());
    else order.paymentFailed('DECLINED', new Date());
  }
}
