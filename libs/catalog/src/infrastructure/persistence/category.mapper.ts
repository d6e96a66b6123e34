import type { CategoryView } from '@ficus/contracts';
import { Category, type CategoryProps } from '../../domain/category.aggregate.js';
import { CategoryOrmEntity } from './category.orm-entity.js';

export const CategoryMapper = {
  toDomain(row: CategoryOrmEntity): Category {
    return Category.restore({ id: row.id, slug: row.slug, name: row.name });
  },
  toOrm(category: Category): CategoryOrmEntity {
    return Object.assign(new CategoryOrmEntity(), category.snapshot());
  },
  toView(props: Readonly<CategoryProps>): CategoryView {
    return { id: props.id, slug: props.slug, name: props.name };
  },
};
