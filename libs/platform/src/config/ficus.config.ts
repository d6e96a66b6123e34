import { registerAs } from '@nestjs/config';
import { CONTEXT_NAMES, isContextName } from '@ficus/contracts';
import type { SchemaOwner } from '../database/database-urls.js';
import { ConfigError, type Env, EnvReader } from './env-parsers.js';

/**
 * Every setting Ficus reads, validated once at start-up. Defaults work on a developer machine with
 * Postgres and Redis on localhost; `.env.example` lists the same variables with the same defaults.
 */
export function loadConfig(env: Env = process.env) {
  const r = new EnvReader(env);
  const databaseUrl = r.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/ficus', ['postgres:', 'postgresql:']);
  const remote = r.list('FICUS_REMOTE_CONTEXTS');
  for (const name of remote) {
    if (!isContextName(name)) r.problems.push(`FICUS_REMOTE_CONTEXTS names an unknown context "${name}"`);
  }
  const contextDatabaseUrls: Partial<Record<SchemaOwner, string>> = {};
  for (const ctx of CONTEXT_NAMES) {
    const key = `${ctx.toUpperCase()}_DATABASE_URL`;
    if (r.optional(key)) contextDatabaseUrls[ctx] = r.url(key, '', ['postgres:', 'postgresql:']);
  }
  if (r.optional('IDEMPOTENCY_DATABASE_URL')) {
    contextDatabaseUrls.idempotency = r.url('IDEMPOTENCY_DATABASE_URL', '', ['postgres:', 'postgresql:']);
  }

  const config = {
    nodeEnv: r.oneOf('NODE_ENV', 'development', ['development', 'production', 'test'] as const),
    port: r.int('PORT', 3000, 0, 65535),
    /** HTTP port of an extracted context host (health endpoints only). */
    healthPort: r.int('HEALTH_PORT', 3001, 0, 65535),
    host: r.string('HOST', '0.0.0.0'),
    logLevel: r.oneOf('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    database: {
      url: databaseUrl,
      contextUrls: contextDatabaseUrls,
      poolSize: r.int('DATABASE_POOL_SIZE', 10, 1, 200),
    },
    redis: {
      url: r.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
      keyPrefix: r.string('REDIS_KEY_PREFIX', 'ficus'),
    },
    messaging: {
      remoteContexts: remote.filter(isContextName),
      callTimeoutMs: r.int('CONTEXT_CALL_TIMEOUT_MS', 5000, 50, 120_000),
      breakerThreshold: r.int('CONTEXT_BREAKER_THRESHOLD', 5, 1, 1000),
      breakerCooldownSeconds: r.int('CONTEXT_BREAKER_COOLDOWN_S', 10, 1, 3600),
      /** A request taken by a host replica that died is re-delivered to another after this long. */
      rpcLeaseMs: r.int('CONTEXT_RPC_LEASE_MS', 2000, 100, 600_000),
    },
    outbox: {
      relayEnabled: r.bool('OUTBOX_RELAY_ENABLED', true),
      pollIntervalMs: r.int('OUTBOX_POLL_INTERVAL_MS', 1000, 10, 60_000),
      batchSize: r.int('OUTBOX_BATCH_SIZE', 100, 1, 5000),
      maxAttempts: r.int('OUTBOX_MAX_ATTEMPTS', 10, 1, 100),
      backoffBaseMs: r.int('OUTBOX_BACKOFF_BASE_MS', 1000, 1, 3_600_000),
      backoffMaxMs: r.int('OUTBOX_BACKOFF_MAX_MS', 300_000, 1, 86_400_000),
      leaseMs: r.int('OUTBOX_LEASE_MS', 30_000, 100, 3_600_000),
      readyBacklogThreshold: r.int('OUTBOX_READY_BACKLOG_THRESHOLD', 10_000, 1, 10_000_000),
      readyLateAfterMs: r.int('OUTBOX_READY_LATE_MS', 30_000, 0, 3_600_000),
      retentionHours: r.int('OUTBOX_RETENTION_HOURS', 168, 1, 87_600),
      reconcileEveryMs: r.int('OUTBOX_RECONCILE_INTERVAL_MS', 2000, 50, 600_000),
      workerConcurrency: r.int('EVENT_WORKER_CONCURRENCY', 50, 1, 1000),
    },
    idempotency: {
      /** The API promises keys are kept at least 24 h, so less cannot be configured. */
      retentionHours: r.int('IDEMPOTENCY_RETENTION_HOURS', 24, 24, 8760),
      /** How long a claimed key stays locked without a heartbeat (its holder died); renewed while it runs. */
      leaseMs: r.int('IDEMPOTENCY_LEASE_MS', 30_000, 100, 3_600_000),
      /** Every how often expired keys are deleted (a BullMQ job scheduler); 0: this process runs no pruning. */
      pruneIntervalMs: r.int('IDEMPOTENCY_PRUNE_INTERVAL_MS', 3_600_000, 0, 86_400_000),
    },
    auth: {
      privateKeyPem: r.optional('JWT_PRIVATE_KEY'),
      publicKeyPem: r.optional('JWT_PUBLIC_KEY'),
      keyFile: r.string('JWT_KEY_FILE', 'var/jwt-es256.json'),
      issuer: r.string('JWT_ISSUER', 'ficus'),
      audience: r.string('JWT_AUDIENCE', 'ficus-mobile'),
      accessTokenTtlSeconds: r.int('ACCESS_TOKEN_TTL_S', 900, 10, 86_400),
      refreshTokenTtlDays: r.int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    },
    rateLimit: {
      perIpPerMinute: r.int('RATE_LIMIT_PER_IP_PER_MIN', 600, 1, 1_000_000),
      perUserPerMinute: r.int('RATE_LIMIT_PER_USER_PER_MIN', 600, 1, 1_000_000),
      /**
       * Hits a replica takes per caller before telling Redis (the local pre-check); 1 = every hit goes to
       * Redis. Across R replicas a caller may pass the limit by (R − 1) × (batch − 1) per window.
       */
      localBatch: r.int('RATE_LIMIT_LOCAL_BATCH', 10, 1, 1000),
      loginMaxFailuresPerEmail: r.int('LOGIN_MAX_FAILURES_PER_EMAIL', 10, 1, 10_000),
      loginFailureWindowSeconds: r.int('LOGIN_FAILURE_WINDOW_S', 900, 1, 86_400),
    },
    payments: {
      /** Longest wait for the payment provider; a slower answer counts as a provider failure. */
      providerTimeoutMs: r.int('PAYMENTS_PROVIDER_TIMEOUT_MS', 2000, 10, 60_000),
      breakerThreshold: r.int('PAYMENTS_BREAKER_THRESHOLD', 5, 1, 1000),
      breakerCooldownSeconds: r.int('PAYMENTS_BREAKER_COOLDOWN_S', 30, 1, 3600),
      /** Fallback scan for payment work (charges, refunds) another replica left or a crash interrupted. */
      pollIntervalMs: r.int('PAYMENTS_POLL_INTERVAL_MS', 1000, 10, 60_000),
      workerConcurrency: r.int('PAYMENTS_WORKER_CONCURRENCY', 10, 1, 500),
      /** How long the built-in fake provider takes for every answer (demos, tests); `tok_slow` takes 10 s. */
      fakeProviderLatencyMs: r.int('PAYMENTS_FAKE_LATENCY_MS', 0, 0, 60_000),
    },
    http: {
      corsOrigins: r.list('CORS_ORIGINS'),
      trustProxy: r.bool('TRUST_PROXY', false),
      docs: r.bool('API_DOCS', true),
    },
    /** Read models cached in the owning context (product by id, categories, user view); see CacheInvalidationBus. */
    readCache: {
      enabled: r.bool('READ_CACHE_ENABLED', true),
      maxEntries: r.int('READ_CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
      maxBytes: r.int('READ_CACHE_MAX_BYTES', 16 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
      /** Backstop for an invalidation no replica could hear (publisher crashed after commit): no entry lives longer. */
      ttlMs: r.int('READ_CACHE_TTL_MS', 30_000, 100, 3_600_000),
    },
    seedOnStart: r.bool('SEED_ON_START', true),
    ordering: {
      /** An order saga still short of CONFIRMED after this long gives up and compensates. */
      sagaTimeoutSeconds: r.int('ORDERING_SAGA_TIMEOUT_S', 120, 1, 86_400),
      /** How often due sagas (retries, timeouts, work a dead process left) are looked for. */
      sagaSweepIntervalMs: r.int('ORDERING_SAGA_SWEEP_MS', 1000, 20, 600_000),
      /**
       * Fault injection for crash tests, inert unless set: the process SIGKILLs itself right after this
       * saga step's contract call answered and before the step's outcome is committed.
       */
      faultKillAfterStep: r.oneOf('ORDERING_FAULT_KILL_AFTER_STEP', 'none', [
        'none',
        'reserve-stock',
        'charge',
        'release-stock',
        'refund',
      ] as const),
    },
  };
  if (config.auth.privateKeyPem && !config.auth.publicKeyPem) {
    r.problems.push('JWT_PUBLIC_KEY must be set when JWT_PRIVATE_KEY is');
  }
  if (r.problems.length) throw new ConfigError(r.problems);
  return config;
}

export type FicusConfig = ReturnType<typeof loadConfig>;

/** `@Inject(ficusConfig.KEY) config: FicusConfig`: the typed, validated configuration. */
export const ficusConfig = registerAs('ficus', () => loadConfig(process.env));
