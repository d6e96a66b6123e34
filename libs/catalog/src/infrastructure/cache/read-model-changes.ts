import { noteChange } from '@ficus/platform';
import type { Tx } from '../../domain/ports.js';

/** Cache names (also the names other replicas evict by). */
export const PRODUCT_VIEWS = 'catalog.product';
export const CATEGORY_LIST = 'catalog.categories';
export const ALL_CATEGORIES = 'all';

/** Inside a transaction: these products' views change when it commits (evicted after the commit). */
export function productsChanged(tx: Tx, ids: string[]): void {
  noteChange(tx, PRODUCT_VIEWS, ids);
}

/** Inside a transaction: the category list (and every product view, which embeds its category) changes. */
export function categoriesChanged(tx: Tx): void {
  noteChange(tx, CATEGORY_LIST, [ALL_CATEGORIES]);
}
