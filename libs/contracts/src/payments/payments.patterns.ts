/** Message patterns payments answers. Versioned: a breaking change is a new pattern beside the old one. */
export const PaymentsPatterns = {
  getAvailability: 'payments.get-availability.v1',
  charge: 'payments.charge.v1',
  refund: 'payments.refund.v1',
  getPayment: 'payments.get-payment.v1',
} as const;
