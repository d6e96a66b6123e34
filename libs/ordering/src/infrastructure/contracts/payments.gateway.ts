import type { CallMeta } from '@ficus/contracts';
import { type ContextClient, ContextClientFactory, ContractCallError } from '@ficus/platform';
import type { ChargeRequest, PaymentsGateway } from '../../domain/ports.js';

/** Payments through its contract, in-process or over Redis alike. */
export class ContractPaymentsGateway implements PaymentsGateway {
  private readonly payments: ContextClient;

  constructor(factory: ContextClientFactory) {
    this.payments = factory.get('payments');
  }

  availability(meta: CallMeta): Promise<{ available: boolean; retryAfterSeconds: number }> {
    return this.payments.send('payments.get-availability.v1', {}, meta);
  }

  async charge(request: ChargeRequest, meta: CallMeta): Promise<'requested' | 'refused'> {
    try {
      await this.payments.send('payments.charge.v1', { ...request, idempotencyKey: `charge-${request.orderId}` }, meta);
      return 'requested';
    } catch (error) {
      // Payments refuses the request itself (a token it cannot use): that is a declined payment, not an outage.
      if (error instanceof ContractCallError && (error.status === 400 || error.status === 422)) return 'refused';
      throw error;
    }
  }

  async refund(orderId: string, meta: CallMeta): Promise<void> {
    await this.payments.send('payments.refund.v1', { orderId, idempotencyKey: `refund-${orderId}` }, meta);
  }
}
