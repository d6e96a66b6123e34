/** A BullMQ queue this process uses: its name and key prefix (together they name it in Redis). */
export interface RegisteredQueue {
  name: string;
  prefix: string;
}

/**
 * The BullMQ queues this process has created or consumes, as they appear: event queues (`ie.<subscriber>`,
 * created on the first event for a consumer elsewhere, or when this process starts consuming one) and
 * recurring jobs (`idempotency-prune`). Operator tooling (Bull Board at /admin/queues) subscribes to it,
 * so a queue shows there without the code that owns it knowing about the board. (Queues registered through
 * `@nestjs/bullmq` are Nest providers and are found by discovery instead.)
 */
export class QueueRegistry {
  private readonly queues = new Map<string, RegisteredQueue>();
  private readonly listeners = new Set<(queue: RegisteredQueue) => void>();

  /** Records a queue; the same name and prefix again changes nothing. */
  add(name: string, prefix: string): void {
    const key = `${prefix}\u0000${name}`;
    if (this.queues.has(key)) return;
    const queue = { name, prefix };
    this.queues.set(key, queue);
    for (const listener of this.listeners) listener(queue);
  }

  list(): RegisteredQueue[] {
    return [...this.queues.values()];
  }

  /** Calls `listener` for every queue known now and for each one added later; returns the unsubscribe. */
  subscribe(listener: (queue: RegisteredQueue) => void): () => void {
    for (const queue of this.queues.values()) listener(queue);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
