/** Message patterns catalog answers. Versioned: a breaking change is a new pattern beside the old one. */
export const CatalogPatterns = {
  listCategories: 'catalog.list-categories.v1',
  createCategory: 'catalog.create-category.v1',
  listProducts: 'catalog.list-products.v1',
  getProduct: 'catalog.get-product.v1',
  getProductConditional: 'catalog.get-product-conditional.v1',
  createProduct: 'catalog.create-product.v1',
  updateProduct: 'catalog.update-product.v1',
  reserveStock: 'catalog.reserve-stock.v1',
  releaseStock: 'catalog.release-stock.v1',
  importProducts: 'catalog.import-products.v1',
} as const;
