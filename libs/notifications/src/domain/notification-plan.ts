import type { NotificationType } from '@ficus/contracts';

/** An inbox item to write (always written, whatever the preferences). */
export interface PlannedInboxItem {
  type: NotificationType;
  title: string;
  body: string;
  data: Record<string, string>;
}

/** What one integration event means for one user: which channels get what. */
export interface NotificationPlan {
  userId: string;
  /** Learnt from the event (registration): where this user's e-mail goes from now on. */
  recipient?: { email: string; name: string };
  inbox?: PlannedInboxItem;
  email?: { subject: string; text: string };
  push?: { title: string; body: string; data: Record<string, string> };
}

const REASONS: Record<string, string> = {
  OUT_OF_STOCK: 'an item was out of stock',
  PAYMENT_DECLINED: 'the payment was declined',
  PAYMENT_UNAVAILABLE: 'the payment could not be processed',
  USER_CANCELLED: 'you cancelled it',
};

/** Minor units as the customer reads them: `45.99 EUR`. */
export function formatMoney(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

const shortId = (orderId: string) => orderId.slice(-8);

/** `identity.user-registered.v1` → welcome e-mail. */
export function welcomePlan(p: { userId: string; email: string; name: string }): NotificationPlan {
  return {
    userId: p.userId,
    recipient: { email: p.email, name: p.name },
    email: {
      subject: 'Welcome to Ficus',
      text: `Hello ${p.name},\n\nyour Ficus account is ready. Happy shopping!\n\nThe Ficus team`,
    },
  };
}

/** `ordering.order-confirmed.v1` → inbox item + push + e-mail. */
export function orderConfirmedPlan(p: {
  orderId: string;
  userId: string;
  totalCents: number;
  currency: string;
}): NotificationPlan {
  const total = formatMoney(p.totalCents, p.currency);
  const title = 'Order confirmed';
  const body = `Your order …${shortId(p.orderId)} of ${total} is confirmed.`;
  const data = { orderId: p.orderId };
  return {
    userId: p.userId,
    inbox: { type: 'ORDER_CONFIRMED', title, body, data },
    push: { title, body, data },
    email: {
      subject: `Your order …${shortId(p.orderId)} is confirmed`,
      text: `${body}\n\nWe will let you know when it ships.\n\nOrder: ${p.orderId}\nTotal: ${total}\n\nThe Ficus team`,
    },
  };
}

/** `ordering.order-cancelled.v1` → inbox item + push. */
export function orderCancelledPlan(p: { orderId: string; userId: string; reason: string }): NotificationPlan {
  const title = 'Order cancelled';
  const why = REASONS[p.reason] ?? 'it could not be completed';
  const body = `Your order …${shortId(p.orderId)} was cancelled: ${why}.`;
  const data = { orderId: p.orderId, reason: p.reason };
  return { userId: p.userId, inbox: { type: 'ORDER_CANCELLED', title, body, data }, push: { title, body, data } };
}
