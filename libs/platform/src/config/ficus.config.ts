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
      /** Most events a consumer's inbox takes in per shared transaction (group commit); 1: one each. */
      inboxBatchMax: r.int('INBOX_BATCH_MAX', 100, 1, 1000),
      /** How many of a consumer's inbox transactions run at once in this process (at most the pool − 2). */
      inboxFlushes: r.int('INBOX_FLUSHES', 8, 1, 100),
    },
    idempotency: {
      /** The API promises keys are kept at least 24 h, so less cannot be configured. */
      retentionHours: r.int('IDEMPOTENCY_RETENTION_HOURS', 24, 24, 8760),
      /** How long a claimed key stays locked without a heartbeat (its holder died); renewed while it runs. */
      leaseMs: r.int('IDEMPOTENCY_LEASE_MS', 30_000, 100, 3_600_000),
      /** Every how often expired keys are deleted (a BullMQ job scheduler); 0: this process runs no pruning. */
      pruneIntervalMs: r.int('IDEMPOTENCY_PRUNE_INTERVAL_MS', 3_600_000, 0, 86_400_000),
      /** Most concurrent claims (and, apart, completions) of keys sent as one statement; 1: one each. */
      batchMax: r.int('IDEMPOTENCY_BATCH_MAX', 100, 1, 1000),
      /** How many claim (and, apart, completion) statements run at once in this process. */
      flushes: r.int('IDEMPOTENCY_FLUSHES', 4, 1, 100),
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
      /**
       * Provider calls in flight per process. A call mostly waits on the network, so slots are cheap: at a
       * real provider's ~200 ms, 10 would cap a replica at ~50 payments/s, and under the orders bench the
       * settlements queued for seconds behind 10 slots (each also waits for a pooled connection).
       */
      workerConcurrency: r.int('PAYMENTS_WORKER_CONCURRENCY', 100, 1, 500),
      /**
       * Charges stored (and provider outcomes recorded) at the same moment go out as one statement
       * (group commit), at most this many; 1 writes each alone.
       */
      batchMax: r.int('PAYMENTS_BATCH_MAX', 100, 1, 1000),
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
    home: {
      /** GET /v1/home: each context's section waits at most this long, then is left empty and named degraded. */
      sectionDeadlineMs: r.int('HOME_SECTION_DEADLINE_MS', 300, 10, 60_000),
    },
    adminQueues: {
      /** Lifetime of the Bull Board session cookie (never past the admin's access token). */
      sessionTtlSeconds: r.int('ADMIN_QUEUES_SESSION_TTL_S', 900, 30, 86_400),
      /**
       * HMAC key of that cookie. Replicas behind one load balancer need the same one; unset, each process
       * draws a random key at start (a session then works on the replica that issued it, until it restarts).
       */
      sessionSecret: r.optional('ADMIN_QUEUES_SESSION_SECRET'),
    },
    notifications: {
      /** SMTP server for e-mail (`smtp://user:pass@host:587`, `smtps://…`); unset: e-mails are only logged. */
      smtpUrl: r.optional('SMTP_URL') ? r.url('SMTP_URL', '', ['smtp:', 'smtps:']) : undefined,
      emailFrom: r.string('NOTIFICATIONS_EMAIL_FROM', 'Ficus <no-reply@ficus.local>'),
      /** FCM HTTP v1: all of project id, service-account e-mail and key; unset: pushes are only logged. */
      fcmProjectId: r.optional('FCM_PROJECT_ID'),
      fcmClientEmail: r.optional('FCM_CLIENT_EMAIL'),
      fcmPrivateKey: r.optional('FCM_PRIVATE_KEY'),
      fcmApiUrl: r.url('FCM_API_URL', 'https://fcm.googleapis.com', ['https:', 'http:']),
      fcmTokenUrl: r.url('FCM_TOKEN_URL', 'https://oauth2.googleapis.com/token', ['https:', 'http:']),
      /** Each send is a BullMQ job: tries in all, and the first retry's delay (doubling after it). */
      sendAttempts: r.int('NOTIFICATIONS_SEND_ATTEMPTS', 5, 1, 50),
      sendBackoffMs: r.int('NOTIFICATIONS_SEND_BACKOFF_MS', 2000, 1, 3_600_000),
      workerConcurrency: r.int('NOTIFICATIONS_WORKER_CONCURRENCY', 10, 1, 500),
      /** Sends still queued after this long (their job was lost with Redis) are enqueued again. */
      resendAfterMs: r.int('NOTIFICATIONS_RESEND_AFTER_MS', 60_000, 100, 86_400_000),
    },
    storage: {
      /** Where blobs (media uploads and variants) live: a directory, or an S3-compatible bucket. */
      driver: r.oneOf('STORAGE_DRIVER', 'local', ['local', 's3'] as const),
      /** The local driver's directory (created on start; the default is git-ignored). */
      dir: r.string('STORAGE_DIR', 'var/storage'),
      s3: {
        /** Empty: AWS itself; set for MinIO and other S3-compatible services, e.g. http://127.0.0.1:9000. */
        endpoint: r.optional('S3_ENDPOINT'),
        region: r.string('S3_REGION', 'us-east-1'),
        bucket: r.string('S3_BUCKET', 'ficus-media'),
        accessKeyId: r.optional('S3_ACCESS_KEY_ID'),
        secretAccessKey: r.optional('S3_SECRET_ACCESS_KEY'),
        /** MinIO and most self-hosted services need path-style URLs (`endpoint/bucket/key`). */
        forcePathStyle: r.bool('S3_FORCE_PATH_STYLE', true),
      },
    },
    media: {
      /** Images whose width × height is larger are refused (decompression bombs): the asset ends FAILED. */
      maxInputPixels: r.int('MEDIA_MAX_INPUT_PIXELS', 50_000_000, 1, 1_000_000_000),
      /** Variant jobs run at once per process (each decodes a whole image: memory grows with it). */
      workerConcurrency: r.int('MEDIA_WORKER_CONCURRENCY', 1, 1, 64),
      /** Tries of a variants job whose failure may pass (storage, database); an unreadable image fails at once. */
      jobAttempts: r.int('MEDIA_JOB_ATTEMPTS', 3, 1, 20),
      jobBackoffMs: r.int('MEDIA_JOB_BACKOFF_MS', 1000, 1, 600_000),
      /**
       * How often raw uploads nobody needs any more are deleted (a BullMQ job shared by every replica; 0 = not
       * by this process): ones a crash left between streaming and registering, and ones whose asset settled
       * but whose removal failed. They may hold EXIF with GPS positions, so they must not linger.
       */
      uploadSweepIntervalMs: r.int('MEDIA_UPLOAD_SWEEP_INTERVAL_MS', 3_600_000, 0, 86_400_000),
      /** Only uploads older than this are swept: far above the seconds between streaming and registering. */
      orphanUploadAgeMs: r.int('MEDIA_ORPHAN_UPLOAD_AGE_MS', 3_600_000, 60_000, 604_800_000),
    },
    ordering: {
      /** An order saga still short of CONFIRMED after this long gives up and compensates. */
      sagaTimeoutSeconds: r.int('ORDERING_SAGA_TIMEOUT_S', 120, 1, 86_400),
      /** How often due sagas (retries, timeouts, work a dead process left) are looked for. */
      sagaSweepIntervalMs: r.int('ORDERING_SAGA_SWEEP_MS', 1000, 20, 600_000),
      /**
       * Orders placed at the same moment are written by one statement (group commit), at most this many;
       * 1 writes each alone.
       */
      placementBatchMax: r.int('ORDERING_PLACEMENT_BATCH_MAX', 100, 1, 1000),
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
  const fcm = [
    config.notifications.fcmProjectId,
    config.notifications.fcmClientEmail,
    config.notifications.fcmPrivateKey,
  ];
  if (fcm.some(Boolean) && !fcm.every(Boolean)) {
    r.problems.push('FCM_PROJECT_ID, FCM_CLIENT_EMAIL and FCM_PRIVATE_KEY must be set together');
  }
  if (config.auth.privateKeyPem && !config.auth.publicKeyPem) {
    r.problems.push('JWT_PUBLIC_KEY must be set when JWT_PRIVATE_KEY is');
  }
  const secret = config.adminQueues.sessionSecret;
  if (secret !== undefined && secret.length < 32) {
    r.problems.push('ADMIN_QUEUES_SESSION_SECRET must be at least 32 characters');
  }
  if (config.storage.driver === 's3' && !config.storage.s3.accessKeyId !== !config.storage.s3.secretAccessKey) {
    r.problems.push(
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together (or neither, for the default AWS chain)',
    );
  }
  if (r.problems.length) throw new ConfigError(r.problems);
  return config;
}

export type FicusConfig = ReturnType<typeof loadConfig>;

/** `@Inject(ficusConfig.KEY) config: FicusConfig`: the typed, validated configuration. */
export const ficusConfig = registerAs('ficus', () => loadConfig(process.env));
