import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { PaymentView } from '@ficus/contracts';
import type { PaymentIntentRepository } from '../../domain/ports.js';
import { PAYMENT_INTENT_REPOSITORY } from '../../payments.di-tokens.js';
import { PaymentViews } from '../payment-views.js';
import { GetPaymentQuery } from './get-payment.query.js';

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery> {
  constructor(@Inject(PAYMENT_INTENT_REPOSITORY) private readonly intents: PaymentIntentRepository) {}

  async execute({ data }: GetPaymentQuery): Promise<PaymentView | null> {
    const intent = await this.intents.findByOrder(data.orderId.toLowerCase());
    return intent ? PaymentViews.payment(intent) : null;
  }
}
