import { Query } from '@nestjs/cqrs';
import type { CallMeta, ListCategoriesRequest, CategoryList } from '@ficus/contracts';

export class ListCategoriesQuery extends Query<CategoryList> {
  constructor(
    readonly data: ListCategoriesRequest,
    readonly meta: CallMeta,
  ) {
    super();
  }
}
