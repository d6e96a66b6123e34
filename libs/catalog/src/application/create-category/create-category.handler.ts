import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { CategoryView } from '@ficus/contracts';
import { CATEGORY_REPOSITORY, TRANSACTION_RUNNER } from '../../catalog.di-tokens.js';
import { Category } from '../../domain/category.aggregate.js';
import type { CategoryRepository, TransactionRunner } from '../../domain/ports.js';
import { Slug } from '../../domain/value-objects/slug.value-object.js';
import { CategoryMapper } from '../../infrastructure/persistence/category.mapper.js';
import { CreateCategoryCommand } from './create-category.command.js';

@CommandHandler(CreateCategoryCommand)
export class CreateCategoryHandler implements ICommandHandler<CreateCategoryCommand> {
  constructor(
    @Inject(CATEGORY_REPOSITORY) private readonly categories: CategoryRepository,
    @Inject(TRANSACTION_RUNNER) private readonly transactions: TransactionRunner,
  ) {}

  async execute({ data }: CreateCategoryCommand): Promise<CategoryView> {
    const category = Category.create({ id: uuidv7(), slug: Slug.parse(data.slug), name: data.name });
    await this.transactions.run((tx) => this.categories.insert(tx, category));
    return CategoryMapper.toView(category.snapshot());
  }
}
