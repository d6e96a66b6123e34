import { Injectable } from '@nestjs/common';
import type { SagaAction } from '../../domain/saga/order-saga.js';
import { ChargeStep } from './charge.step.js';
import { RefundStep } from './refund.step.js';
import { ReleaseStockStep } from './release-stock.step.js';
import { ReserveStockStep } from './reserve-stock.step.js';
import type { SagaStepHandler } from './saga-step.js';

/** The saga's steps that call another context, by the action that runs them. */
@Injectable()
export class SagaSteps {
  private readonly byAction: Record<Exclude<SagaAction, 'time-out'>, SagaStepHandler>;

  constructor(reserve: ReserveStockStep, charge: ChargeStep, release: ReleaseStockStep, refund: RefundStep) {
    this.byAction = { 'reserve-stock': reserve, charge, 'release-stock': release, refund };
  }

  of(action: Exclude<SagaAction, 'time-out'>): SagaStepHandler {
    return this.byAction[action];
  }
}
