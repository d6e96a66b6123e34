import { CatalogLimits } from '@ficus/contracts';
import { ValidationFailed } from '@ficus/platform';
import type { Slug } from './value-objects/slug.value-object.js';

export interface CategoryProps {
  id: string;
  slug: string;
  name: string;
}

/** A shelf of the shop. Its slug is its public, stable name (filters use it); it never changes. */
export class Category {
  private constructor(private readonly props: CategoryProps) {}

  static create(input: { id: string; slug: Slug; name: string }): Category {
    return new Category({ id: input.id, slug: input.slug.value, name: validName(input.name) });
  }

  static restore(props: CategoryProps): Category {
    return new Category({ ...props });
  }

  get id() {
    return this.props.id;
  }

  snapshot(): Readonly<CategoryProps> {
    return { ...this.props };
  }
}

function validName(raw: string): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > CatalogLimits.categoryNameMaxLength) {
    throw new ValidationFailed([
      { field: 'name', message: `name must be 1 to ${CatalogLimits.categoryNameMaxLength} characters long` },
    ]);
  }
  return name;
}
