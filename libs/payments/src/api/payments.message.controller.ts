import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern } from '@nestjs/microservices';
import { type ContractMessage, PaymentsPatterns } from '@ficus/contracts';
import { ContractPayload } from '@ficus/platform';
import { ChargeCommand } from '../application/charge/charge.command.js';
import { GetAvailabilityQuery } from '../application/get-availability/get-availability.query.js';
import { GetPaymentQuery } from '../application/get-payment/get-payment.query.js';
import { RefundCommand } from '../application/refund/refund.command.js';
import { ChargeMessage, GetPaymentMessage, NoArgumentsMessage, RefundMessage } from './payments.messages.js';

/**
 * Payments' contract: each message pattern becomes one command or query. There is no HTTP route: clients
 * pay through ordering, which is payments' only caller.
 */
@Controller()
export class PaymentsMessageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(PaymentsPatterns.getAvailability)
  getAvailability(@ContractPayload(NoArgumentsMessage) { meta }: ContractMessage<NoArgumentsMessage>) {
    return this.queries.execute(new GetAvailabilityQuery({}, meta));
  }

  @MessagePattern(PaymentsPatterns.charge)
  charge(@ContractPayload(ChargeMessage) { data, meta }: ContractMessage<ChargeMessage>) {
    return this.commands.execute(new ChargeCommand(data, meta));
  }

  @MessagePattern(PaymentsPatterns.refund)
  refund(@ContractPayload(RefundMessage) { data, meta }: ContractMessage<RefundMessage>) {
    return this.commands.execute(new RefundCommand(data, meta));
  }

  @MessagePattern(PaymentsPatterns.getPayment)
  getPayment(@ContractPayload(GetPaymentMessage) { data, meta }: ContractMessage<GetPaymentMessage>) {
    return this.queries.execute(new GetPaymentQuery(data, meta));
  }
}
