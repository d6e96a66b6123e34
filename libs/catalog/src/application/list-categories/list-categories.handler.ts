import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { CategoryList } from '@ficus/contracts';
import { CatalogReadModels } from '../../infrastructure/cache/catalog-read-models.js';
import { ListCategoriesQuery } from './list-categories.query.js';

@QueryHandler(ListCategoriesQuery)
export class ListCategoriesHandler implements IQueryHandler<ListCategoriesQuery> {
  constructor(private readonly readModels: CatalogReadModels) {}

  async execute(): Promise<CategoryList> {
    return (await this.readModels.categories())!;
  }
}
