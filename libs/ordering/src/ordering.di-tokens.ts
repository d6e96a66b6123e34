/** Ports are injected by Symbol so the application layer never names an implementation. */
export const ORDER_REPOSITORY = Symbol('ordering.OrderRepository');
export const TRANSACTION_RUNNER = Symbol('ordering.TransactionRunner');
export const CATALOG_GATEWAY = Symbol('ordering.CatalogGateway');
export const PAYMENTS_GATEWAY = Symbol('ordering.PaymentsGateway');
