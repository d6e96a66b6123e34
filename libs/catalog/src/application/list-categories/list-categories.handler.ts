import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { CategoryList } from '@ficus/contracts';
import { CATEGORY_REPOSITORY } from '../../catalog.di-tokens.js';
import type { CategoryRepository } from '../../domain/ports.js';
import { CategoryMapper } from '../../infrastructure/persistence/category.mapper.js';
import { ListCategoriesQuery } from './list-categories.query.js';

@QueryHandler(ListCategoriesQuery)
export class ListCategoriesHandler implements IQueryHandler<ListCategoriesQuery> {
  constructor(@Inject(CATEGORY_REPOSITORY) private readonly categories: CategoryRepository) {}

  async execute(): Promise<CategoryList> {
    const categories = await this.categories.listAll();
    return { items: categories.map((c) => CategoryMapper.toView(c.snapshot())) };
  }
}
