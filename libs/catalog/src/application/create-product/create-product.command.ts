import { Command } from '@nestjs/cqrs';
import type { CallMeta, CreateProductRequest, ProductView } from '@ficus/contracts';

export class CreateProductCommand extends Command<ProductView> {
  constructor(
    readonly data: CreateProductRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
