import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { Category } from '../../domain/category.aggregate.js';
import { SlugTaken } from '../../domain/catalog.errors.js';
import type { CategoryRepository, Tx } from '../../domain/ports.js';
import { categoriesChanged } from '../cache/read-model-changes.js';
import { CategoryMapper } from './category.mapper.js';
import { CategoryOrmEntity } from './category.orm-entity.js';
import { asManager } from './typeorm-transaction.runner.js';
import { violatedUniqueConstraint } from './unique-violation.js';

export class TypeOrmCategoryRepository implements CategoryRepository {
  constructor(
    @InjectRepository(CategoryOrmEntity, 'catalog') private readonly categories: Repository<CategoryOrmEntity>,
  ) {}

  private repo(tx?: Tx): Repository<CategoryOrmEntity> {
    return tx ? asManager(tx).getRepository(CategoryOrmEntity) : this.categories;
  }

  async insert(tx: Tx, category: Category): Promise<void> {
    try {
      categoriesChanged(tx);
      await this.repo(tx).insert(CategoryMapper.toOrm(category));
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'categories_slug_key') throw new SlugTaken();
      throw error;
    }
  }

  async findBySlug(slug: string, tx?: Tx): Promise<Category | null> {
    const row = await this.repo(tx).findOneBy({ slug });
    return row ? CategoryMapper.toDomain(row) : null;
  }

  async findById(id: string, tx?: Tx): Promise<Category | null> {
    const row = await this.repo(tx).findOneBy({ id });
    return row ? CategoryMapper.toDomain(row) : null;
  }

  async idsBySlug(slugs: string[]): Promise<Map<string, string>> {
    const rows = await this.categories.find({ select: { id: true, slug: true }, where: { slug: In(slugs) } });
    return new Map(rows.map((r) => [r.slug, r.id]));
  }

  async listAll(): Promise<Category[]> {
    const rows = await this.categories.find({ order: { name: 'ASC', slug: 'ASC' } });
    return rows.map((row) => CategoryMapper.toDomain(row));
  }
}
