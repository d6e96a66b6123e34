/** Ports are injected by Symbol so the application layer never names an implementation. */
export const CATEGORY_REPOSITORY = Symbol('catalog.CategoryRepository');
export const PRODUCT_REPOSITORY = Symbol('catalog.ProductRepository');
export const PRODUCT_READER = Symbol('catalog.ProductReader');
export const STOCK_LEDGER = Symbol('catalog.StockLedger');
export const TRANSACTION_RUNNER = Symbol('catalog.TransactionRunner');
export const PRODUCT_IMAGES = Symbol('catalog.ProductImages');
