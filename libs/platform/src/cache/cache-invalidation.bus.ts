import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { Redis } from 'ioredis';
import { type FicusConfig, ficusConfig } from '../config/ficus.config.js';
import { GroupCommit } from '../database/group-commit.js';
import { REDIS } from '../redis/redis.module.js';
import { type ChangeRecord, trackChanges } from './committed-changes.js';
import { ReadModelCache, type ReadModelCacheOptions } from './read-model-cache.js';

interface InvalidationMessage {
  /** The publishing process (it has evicted already). */
  o: string;
  /** Cache name. */
  c: string;
  /** Keys, or null for the whole cache. */
  k: string[] | null;
}

/**
 * The read-model caches of this process, and how replicas tell each other about committed changes: after
 * a context commits, `invalidate` evicts the keys here and publishes them on `<prefix>:cache:invalidate`;
 * every other process evicts them when the message arrives.
 *
 * The window across replicas is the pub/sub delivery (the publisher's commit → its PUBLISH → the others'
 * eviction; milliseconds). A process that cannot hear the channel (subscriber not connected yet, or
 * disconnected) serves nothing from its caches (bypass: every read goes to the database) and clears them,
 * so it never serves a value older than a change published while it was deaf. What no subscriber can see
 * (the publisher crashing between its commit and its PUBLISH, a PUBLISH that fails, a half-open TCP
 * connection not yet detected) is bounded by `READ_CACHE_TTL_MS`: no entry lives longer.
 */
@Injectable()
export class CacheInvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ReadModelCache');
  private readonly instanceId = randomUUID();
  private readonly caches = new Map<string, ReadModelCache<object>>();
  private readonly channel: string;
  private subscriber: Redis | null = null;
  private listening = false;
  private closing = false;

  constructor(
    @Inject(ficusConfig.KEY) private readonly config: FicusConfig,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {
    this.channel = `${config.redis.keyPrefix}:cache:invalidate`;
  }

  /** A context's cache, created once per name (bypassed until this process hears the channel). */
  cache<V extends object>(name: string, options: Partial<ReadModelCacheOptions> = {}): ReadModelCache<V> {
    let cache = this.caches.get(name);
    if (!cache) {
      const { maxEntries, maxBytes, ttlMs } = this.config.readCache;
      cache = new ReadModelCache<object>(name, { maxEntries, maxBytes, ttlMs, ...options });
      cache.bypass(!this.listening);
      this.caches.set(name, cache);
    }
    return cache as unknown as ReadModelCache<V>;
  }

  /**
   * After a commit: evicts the keys here (at once) and tells the other replicas. Never throws: the change
   * is committed whatever happens to the message (a lost one is bounded by the TTL).
   */
  async invalidate(name: string, keys: string[] | null): Promise<void> {
    const cache = this.caches.get(name);
    if (keys) cache?.evict(keys);
    else cache?.clear();
    if (!this.redis || !this.config.readCache.enabled) return;
    await this.publications.submit({ c: name, k: keys });
  }

  /**
   * Invalidations published at the same moment (a batch of orders reserving stock evicts one product view
   * each) go out as one message per cache: one PUBLISH, and one message for every replica to parse,
   * instead of one per change. Each caller still returns only once its keys were published.
   */
  private readonly publications = new GroupCommit<Omit<InvalidationMessage, 'o'>, void>(
    {
      batch: async (changes) => {
        const byCache = new Map<string, Set<string> | null>();
        for (const { c, k } of changes) {
          const keys = byCache.has(c) ? byCache.get(c)! : new Set<string>();
          byCache.set(c, keys === null || k === null ? null : new Set([...keys, ...k]));
        }
        await Promise.all([...byCache].map(([c, keys]) => this.publish({ c, k: keys && [...keys] })));
        return changes.map(() => undefined);
      },
      alone: (change) => this.publish(change),
    },
    { batchMax: 1000, flushes: 1 },
  );

  /** Never throws: the change is committed whatever happens to the message (a lost one is bounded by the TTL). */
  private async publish(change: Omit<InvalidationMessage, 'o'>): Promise<void> {
    try {
      await this.redis!.publish(this.channel, JSON.stringify({ o: this.instanceId, ...change }));
    } catch (error) {
      this.logger.warn(
        { event: 'cache.publish-failed', cache: change.c, err: (error as Error).message },
        'cache invalidation not published; other replicas drop the entry within READ_CACHE_TTL_MS',
      );
    }
  }

  /**
   * Runs a transaction — `transaction` opens it and hands `work` its manager (a DataSource's
   * `transaction`, an inbox's `runOnce`, …) — recording what the repositories note against that manager,
   * and once it has committed evicts it here and on the other replicas, before the caller gets its answer.
   */
  async evictingAfterCommit<M extends object, T, R>(
    transaction: (work: (manager: M) => Promise<T>) => Promise<R>,
    work: (manager: M) => Promise<T>,
  ): Promise<R> {
    let changes: ChangeRecord | undefined;
    const result = await transaction((manager) => {
      changes = trackChanges(manager);
      return work(manager);
    });
    if (changes?.size) await this.committed(changes);
    return result;
  }

  /** After a commit: everything the transaction noted (`trackChanges` / `noteChange`). */
  async committed(record: ChangeRecord): Promise<void> {
    await Promise.all([...record].map(([name, keys]) => this.invalidate(name, keys ? [...keys] : null)));
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.readCache.enabled || !this.redis) return;
    const sub = new Redis(this.config.redis.url, {
      connectionName: `cache-sub-${this.instanceId}`,
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      autoResubscribe: false,
    });
    this.subscriber = sub;
    sub.on('message', (_channel: string, raw: string) => this.onMessage(raw));
    sub.on('error', () => undefined); // `close` below is what matters; the shared connection logs errors
    sub.on('close', () => this.setListening(false));
    sub.on('ready', () => {
      sub.subscribe(this.channel).then(
        () => this.setListening(true),
        () => this.setListening(false),
      );
    });
    // Not awaited: a process starts (its caches bypassed) while Redis is away.
    sub.connect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.subscriber?.disconnect();
    this.subscriber = null;
  }

  /** Whether this process hears other replicas' invalidations (its caches serve only then). */
  get hearing(): boolean {
    return this.listening;
  }

  private setListening(on: boolean): void {
    if (this.listening === on) return;
    this.listening = on;
    for (const cache of this.caches.values()) cache.bypass(!on);
    if (!on)
      this.logger.warn({ event: 'cache.deaf' }, 'read-model caches bypassed until invalidations are heard again');
  }

  private onMessage(raw: string): void {
    let message: InvalidationMessage;
    try {
      message = JSON.parse(raw) as InvalidationMessage;
    } catch {
      return;
    }
    if (message.o === this.instanceId) return;
    const cache = this.caches.get(message.c);
    if (!cache) return;
    if (Array.isArray(message.k)) cache.evict(message.k);
    else cache.clear();
  }
}
