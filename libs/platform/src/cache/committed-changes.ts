/**
 * Which cached read models a transaction changed, so that they are evicted once it commits (and only
 * then: an eviction before the commit would let a concurrent read refill the old value). Repositories note
 * what they write against the transaction object they were given; the context's transaction runner opens
 * the record, and after the commit hands it to `CacheInvalidationBus.committed`. A rolled-back
 * transaction's record is simply dropped.
 */
export type ChangeRecord = Map<string, Set<string> | null>;

const open = new WeakMap<object, ChangeRecord>();

/** Starts recording for a transaction (its EntityManager, or whatever object the repositories receive). */
export function trackChanges(tx: object): ChangeRecord {
  const record: ChangeRecord = new Map();
  open.set(tx, record);
  return record;
}

/** Notes that `keys` of cache `name` change when `tx` commits (`null`: the whole cache). */
export function noteChange(tx: object, name: string, keys: string[] | null): void {
  const record = open.get(tx);
  if (!record) return;
  const known = record.get(name);
  if (keys === null || known === null) {
    record.set(name, null);
    return;
  }
  const set = known ?? new Set<string>();
  for (const key of keys) set.add(key);
  record.set(name, set);
}
