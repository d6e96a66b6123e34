import { Command } from '@nestjs/cqrs';
import type { CallMeta, CreateCategoryRequest, CategoryView } from '@ficus/contracts';

export class CreateCategoryCommand extends Command<CategoryView> {
  constructor(
    readonly data: CreateCategoryRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
