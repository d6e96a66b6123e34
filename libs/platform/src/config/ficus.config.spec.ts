import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('works with no environment at all, with local defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/ficus');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.rateLimit).toEqual({
      perIpPerMinute: 600,
      perUserPerMinute: 600,
      localBatch: 10,
      loginMaxFailuresPerEmail: 10,
      loginFailureWindowSeconds: 900,
    });
    expect(config.readCache).toEqual({ enabled: true, maxEntries: 10_000, maxBytes: 16 * 1024 * 1024, ttlMs: 30_000 });
    expect(config.messaging.remoteContexts).toEqual([]);
  });

  it('refuses a read cache or rate-limit batch outside its bounds', () => {
    expect(() => loadConfig({ READ_CACHE_TTL_MS: '0' })).toThrow(/READ_CACHE_TTL_MS/);
    expect(() => loadConfig({ READ_CACHE_MAX_ENTRIES: '0' })).toThrow(/READ_CACHE_MAX_ENTRIES/);
    expect(() => loadConfig({ RATE_LIMIT_LOCAL_BATCH: '0' })).toThrow(/RATE_LIMIT_LOCAL_BATCH/);
    expect(loadConfig({ READ_CACHE_ENABLED: 'false', RATE_LIMIT_LOCAL_BATCH: '1' })).toMatchObject({
      readCache: { enabled: false },
      rateLimit: { localBatch: 1 },
    });
  });

  it('batches inbox commits by default, up to a bound, and lets them be turned off', () => {
    expect(loadConfig({}).outbox).toMatchObject({ inboxBatchMax: 100, inboxFlushes: 8 });
    expect(() => loadConfig({ INBOX_FLUSHES: '0' })).toThrow(/INBOX_FLUSHES/);
    expect(loadConfig({ INBOX_BATCH_MAX: '1' }).outbox.inboxBatchMax).toBe(1);
    expect(() => loadConfig({ INBOX_BATCH_MAX: '0' })).toThrow(/INBOX_BATCH_MAX/);
    expect(() => loadConfig({ INBOX_BATCH_MAX: '1001' })).toThrow(/INBOX_BATCH_MAX/);
  });

  it('batches Idempotency-Key claims and completions by default, up to a bound, and lets them be turned off', () => {
    expect(loadConfig({}).idempotency).toMatchObject({ batchMax: 100, flushes: 4 });
    expect(loadConfig({ IDEMPOTENCY_BATCH_MAX: '1' }).idempotency.batchMax).toBe(1);
    expect(() => loadConfig({ IDEMPOTENCY_BATCH_MAX: '0' })).toThrow(/IDEMPOTENCY_BATCH_MAX/);
    expect(() => loadConfig({ IDEMPOTENCY_BATCH_MAX: '1001' })).toThrow(/IDEMPOTENCY_BATCH_MAX/);
    expect(() => loadConfig({ IDEMPOTENCY_FLUSHES: '0' })).toThrow(/IDEMPOTENCY_FLUSHES/);
  });

  it('reads the documented variables', () => {
    const config = loadConfig({ PORT: '8080', FICUS_REMOTE_CONTEXTS: 'identity, payments', LOG_LEVEL: 'debug' });
    expect(config.port).toBe(8080);
    expect(config.messaging.remoteContexts).toEqual(['identity', 'payments']);
    expect(config.logLevel).toBe('debug');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        FICUS_REMOTE_CONTEXTS: 'billing',
        SEED_ON_START: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'FICUS_REMOTE_CONTEXTS', 'SEED_ON_START'])
      expect(message).toContain(name);
  });

  it('keeps Idempotency-Keys at least the 24 h the API promises, and lets a process opt out of pruning', () => {
    expect(loadConfig({}).idempotency).toMatchObject({
      retentionHours: 24,
      leaseMs: 30_000,
      pruneIntervalMs: 3_600_000,
    });
    expect(() => loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '23' })).toThrow(/IDEMPOTENCY_RETENTION_HOURS/);
    expect(loadConfig({ IDEMPOTENCY_PRUNE_INTERVAL_MS: '0' }).idempotency.pruneIntervalMs).toBe(0);
  });

  it('gives the idempotency schema its own database URL when set, like a context', () => {
    const url = 'postgres://ficus_idempotency:secret@db:5432/ficus';
    expect(loadConfig({ IDEMPOTENCY_DATABASE_URL: url }).database.contextUrls.idempotency).toBe(url);
    expect(() => loadConfig({ IDEMPOTENCY_DATABASE_URL: 'mysql://x' })).toThrow(/IDEMPOTENCY_DATABASE_URL/);
  });

  it('requires the public key when a private key is configured', () => {
    expect(() => loadConfig({ JWT_PRIVATE_KEY: 'x' })).toThrow(/JWT_PUBLIC_KEY/);
  });
});
