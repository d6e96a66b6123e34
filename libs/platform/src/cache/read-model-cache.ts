import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { overTheWire } from '../messaging/json-wire.js';

export interface ReadModelCacheOptions {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes kept (estimated as the entry's JSON length × 2, computed once when it is stored). */
  maxBytes: number;
  /** Backstop: an entry is dropped this long after it was stored, even if no invalidation ever arrives. */
  ttlMs: number;
}

/** Deep-freezes a cached value: a handler that mutated it would change what every later read sees. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * One read model of a context (product by id, the category list, the user view), cached in this process.
 * Filled on a miss by the context's own loader, evicted when the context commits a change (`evict`, called
 * after commit, here and, through `CacheInvalidationBus`, in every other replica).
 *
 * No stale fill: a load that started before an eviction of its key must not store what it read (it may
 * have read the row before the change committed). Every eviction bumps a generation counter (per cache,
 * not per key: evictions are rare next to reads, and a per-key map would need its own eviction); a load
 * stores its value only if the generation is still the one it saw before it queried.
 *
 * While `bypass` is on (this process cannot hear other replicas' invalidations) nothing is served or
 * stored: every read goes to the database.
 */
export class ReadModelCache<V extends object> {
  private readonly lru: LRUCache<string, V>;
  private generation = 0;
  private bypassed = false;
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(
    readonly name: string,
    options: ReadModelCacheOptions,
  ) {
    this.lru = new LRUCache<string, V>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (value) => Math.max(1, JSON.stringify(value).length * 2),
      ttl: options.ttlMs,
      // A TTL check per get would read the clock; lru-cache's coarse clock is enough for a backstop.
      ttlResolution: 100,
    });
  }

  /** The cached value, if any (no load). */
  peek(key: string): V | undefined {
    if (this.bypassed) return undefined;
    return this.lru.get(key);
  }

  /** The cached value, or the loader's (stored unless an eviction raced it). `null` from the loader is not cached. */
  async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const cached = this.peek(key);
    if (cached !== undefined) {
      this.stats.hits++;
      return cached;
    }
    this.stats.misses++;
    const seen = this.generation;
    const value = await load();
    if (value === null || this.bypassed || seen !== this.generation) return value;
    // Stored as a wire would deliver it (Dates as strings, no undefined fields), once per fill: then every
    // process and transport answers the same thing, and the in-process transport may skip its copy.
    const stored = deepFreeze(overTheWire(value));
    this.lru.set(key, stored);
    return stored;
  }

  /** Drops these keys (a committed change); loads in flight will not store what they read. */
  evict(keys: Iterable<string>): void {
    this.generation++;
    for (const key of keys) {
      if (this.lru.delete(key)) this.stats.evictions++;
    }
  }

  /** Drops everything (an invalidation may have been missed). */
  clear(): void {
    this.generation++;
    this.lru.clear();
  }

  /** Off: serve nothing, store nothing, until `bypass(false)`. Turning it on clears the cache. */
  bypass(on: boolean): void {
    if (on) this.clear();
    this.bypassed = on;
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}

/**
 * An opaque, fixed-shape version for a resource (27 base64url characters, the shape of every Ficus ETag)
 * from what identifies its state: the representation's name and the row versions it is built from.
 * Computed once per cache fill, never per request.
 */
export function opaqueVersion(...parts: (string | number)[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('base64url');
}
