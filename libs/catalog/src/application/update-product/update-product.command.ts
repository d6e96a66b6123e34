import { Command } from '@nestjs/cqrs';
import type { CallMeta, UpdateProductRequest, ProductView } from '@ficus/contracts';

export class UpdateProductCommand extends Command<ProductView> {
  constructor(
    readonly data: UpdateProductRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
