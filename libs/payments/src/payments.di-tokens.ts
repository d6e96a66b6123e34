/** Ports are injected by Symbol so the application layer never names an implementation. */
export const PAYMENT_INTENT_REPOSITORY = Symbol('payments.PaymentIntentRepository');
export const PAYMENT_WORK_QUEUE = Symbol('payments.PaymentWorkQueue');
export const PAYMENT_PROVIDER = Symbol('payments.PaymentProvider');
export const TRANSACTION_RUNNER = Symbol('payments.TransactionRunner');
