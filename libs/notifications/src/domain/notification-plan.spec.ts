import { formatMoney, orderCancelledPlan, orderConfirmedPlan, welcomePlan } from './notification-plan.js';

const orderId = '01937a3c-5b7e-7cc0-8f3a-1a2b3c4d5e6f';
const userId = '01937a3c-0000-7cc0-8f3a-000000000001';

describe('notification plans', () => {
  it('formats minor units as the customer reads them', () => {
    expect(formatMoney(4599, 'EUR')).toBe('45.99 EUR');
    expect(formatMoney(5, 'USD')).toBe('0.05 USD');
  });

  it('welcomes a new user by e-mail only, and remembers the address', () => {
    const plan = welcomePlan({ userId, email: 'ada@example.com', name: 'Ada' });
    expect(plan.recipient).toEqual({ email: 'ada@example.com', name: 'Ada' });
    expect(plan.email?.subject).toBe('Welcome to Ficus');
    expect(plan.inbox).toBeUndefined();
    expect(plan.push).toBeUndefined();
  });

  it('tells of a confirmed order in the inbox, by push and by e-mail', () => {
    const plan = orderConfirmedPlan({ orderId, userId, totalCents: 4599, currency: 'EUR' });
    expect(plan.inbox).toMatchObject({ type: 'ORDER_CONFIRMED', data: { orderId } });
    expect(plan.inbox?.body).toContain('45.99 EUR');
    expect(plan.push?.data).toEqual({ orderId });
    expect(plan.email?.text).toContain(orderId);
  });

  it('tells of a cancelled order with its reason, without e-mail', () => {
    const plan = orderCancelledPlan({ orderId, userId, reason: 'OUT_OF_STOCK' });
    expect(plan.inbox).toMatchObject({ type: 'ORDER_CANCELLED', data: { orderId, reason: 'OUT_OF_STOCK' } });
    expect(plan.inbox?.body).toContain('out of stock');
    expect(plan.email).toBeUndefined();
  });
});
