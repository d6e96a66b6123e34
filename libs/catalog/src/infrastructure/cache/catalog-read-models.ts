import { Inject, Injectable } from '@nestjs/common';
import type { CategoryList, ProductView } from '@ficus/contracts';
import { CacheInvalidationBus, opaqueVersion, type ReadModelCache } from '@ficus/platform';
import { CATEGORY_REPOSITORY, PRODUCT_READER } from '../../catalog.di-tokens.js';
import type { CategoryRepository, ProductReader } from '../../domain/ports.js';
import { CategoryMapper } from '../persistence/category.mapper.js';
import { ProductMapper } from '../persistence/product.mapper.js';
import { ALL_CATEGORIES, CATEGORY_LIST, PRODUCT_VIEWS } from './read-model-changes.js';

export interface VersionedProductView {
  version: string;
  view: ProductView;
}

/**
 * Catalog's cached read models: product by id (with its version, the ETag's source) and the category list.
 * Filled on a miss from SQL; repositories note what a transaction changes (`productsChanged`,
 * `categoriesChanged`) and the transaction runner evicts it after the commit, here and in other replicas.
 * Any code that writes a product row (stock, price, image…) must go through a repository that notes it.
 */
@Injectable()
export class CatalogReadModels {
  private readonly products: ReadModelCache<VersionedProductView>;
  private readonly categoryList: ReadModelCache<CategoryList>;

  constructor(
    bus: CacheInvalidationBus,
    @Inject(PRODUCT_READER) private readonly reader: ProductReader,
    @Inject(CATEGORY_REPOSITORY) private readonly categoryRepository: CategoryRepository,
  ) {
    this.products = bus.cache(PRODUCT_VIEWS);
    this.categoryList = bus.cache(CATEGORY_LIST);
  }

  product(id: string): Promise<VersionedProductView | null> {
    return this.products.get(id, async () => {
      const found = await this.reader.findVersionedById(id);
      // The representation's name is part of the version: a change of the view's shape (a new field) must
      // change every ETag even where no row changed.
      return (
        found && {
          version: opaqueVersion(PRODUCT_VIEWS, 'v1', found.version),
          view: ProductMapper.toView(found.record),
        }
      );
    });
  }

  categories(): Promise<CategoryList | null> {
    return this.categoryList.get(ALL_CATEGORIES, async () => {
      const categories = await this.categoryRepository.listAll();
      return { items: categories.map((c) => CategoryMapper.toView(c.snapshot())) };
    });
  }
}
