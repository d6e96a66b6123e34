/** Message patterns ordering answers. Versioned: a breaking change is a new pattern beside the old one. */
export const OrderingPatterns = {
  placeOrder: 'ordering.place-order.v1',
  listOrders: 'ordering.list-orders.v1',
  getOrder: 'ordering.get-order.v1',
  cancelOrder: 'ordering.cancel-order.v1',
} as const;
