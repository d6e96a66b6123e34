import { Inject } from '@nestjs/common';
import { type CallMeta, PAYMENTS_API, type PaymentsApi } from '@ficus/contracts';
import { ContractCallError } from '@ficus/platform';
import type { ChargeRequest, PaymentsGateway } from '../../domain/ports.js';

/**
 * Payments refuses the charge request itself: a token it cannot use (400), or the order was refunded
 * before it was charged (`PAYMENT_VOIDED`: the order is cancelled already). Either way no money moves.
 */
const refusal = (error: unknown) =>
  error instanceof ContractCallError && (error.status === 400 || error.code === 'PAYMENT_VOIDED');

/** Payments through its contract (`PaymentsApi`), in-process or over Redis alike. */
export class ContractPaymentsGateway implements PaymentsGateway {
  constructor(@Inject(PAYMENTS_API) private readonly payments: PaymentsApi) {}

  availability(meta: CallMeta): Promise<{ available: boolean; retryAfterSeconds: number }> {
    return this.payments.getAvailability({}, meta);
  }

  async charge(request: ChargeRequest, meta: CallMeta): Promise<'requested' | 'refused'> {
    try {
      await this.payments.charge({ ...request, idempotencyKey: `charge-${request.orderId}` }, meta);
      return 'requested';
    } catch (error) {
      if (refusal(error)) return 'refused';
      throw error;
    }
  }

  async refund(orderId: string, meta: CallMeta): Promise<void> {
    await this.payments.refund({ orderId, idempotencyKey: `refund-${orderId}` }, meta);
  }
}
