import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { PaymentsAvailability } from '@ficus/contracts';
import { ProviderCircuit } from '../provider-circuit/provider-circuit.js';
import { GetAvailabilityQuery } from './get-availability.query.js';

/**
 * The provider breaker's state, for callers that must not start work a charge would end (ordering stores
 * and reserves nothing while this says unavailable). It is this process's breaker: with several payments
 * replicas each answers for its own, and each opens on its own failures.
 */
@QueryHandler(GetAvailabilityQuery)
export class GetAvailabilityHandler implements IQueryHandler<GetAvailabilityQuery> {
  constructor(private readonly circuit: ProviderCircuit) {}

  execute(): Promise<PaymentsAvailability> {
    return Promise.resolve(this.circuit.availability());
  }
}
