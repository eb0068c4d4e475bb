// Configuration: read from the environment once at start-up and validated, so a bad variable
// stops the process with one line that names it instead of failing later in a request.
import { z } from 'zod';
import { IANAZone } from 'luxon';

const integerString = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);

const booleanString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integerString(0, 65535).default(4000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: integerString(1024, 65535).default(54329),
  DB_POOL_MAX: integerString(1, 200).default(10),
  DB_STATEMENT_TIMEOUT_MS: integerString(100, 600_000).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FISCAL_YEAR_START_MONTH: integerString(1, 12).default(1),
  FISCAL_TIME_ZONE: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  DEFAULT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY')
    .default('CNY'),
  TOKEN_HASH_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  DEMO_SEED: booleanString.optional(),
  GRAPHIQL: booleanString.optional(),
  CONSOLE: z.enum(['vite', 'dist', 'off']).optional(),
  SHUTDOWN_GRACE_MS: integerString(0, 120_000).default(10_000),
  RESERVATION_LAPSE_DAYS: integerString(1, 365).default(14),
  EXPIRY_SWEEP_INTERVAL_MS: integerString(0, 86_400_000).default(60_000),
  ROLLUP_INTERVAL_MS: integerString(0, 3_600_000).default(2_000),
  GRAPHQL_MAX_DEPTH: integerString(1, 100).default(12),
  GRAPHQL_MAX_ALIASES: integerString(0, 1000).default(20),
  GRAPHQL_MAX_DIRECTIVES: integerString(0, 1000).default(20),
  GRAPHQL_MAX_TOKENS: integerString(100, 100_000).default(5_000),
  GRAPHQL_MAX_COST: integerString(100, 10_000_000).default(50_000),
  INTROSPECTION: booleanString.optional(),
  RATE_LIMIT_PER_MINUTE: integerString(0, 1_000_000).default(1_200),
  ANONYMOUS_RATE_LIMIT_PER_MINUTE: integerString(0, 1_000_000).default(120),
  IDEMPOTENCY_KEY_RETENTION_HOURS: integerString(1, 8_760).default(168),
  TOKEN_CACHE_MS: integerString(0, 60_000).default(5_000),
  JOB_CONCURRENCY: integerString(1, 32).default(4),
  JOB_POLL_INTERVAL_MS: integerString(50, 60_000).default(1_000),
  WEBHOOK_TIMEOUT_MS: integerString(100, 60_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: integerString(10, 3_600_000).default(5_000),
  WEBHOOK_RETRY_WINDOW_MS: integerString(1_000, 2_592_000_000).default(259_200_000),
  WEBHOOK_DISABLE_AFTER_MS: integerString(1_000, 2_592_000_000).default(259_200_000),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanString.default(false),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  /** The web console at `/`: Vite's dev middleware, the built files of console/dist, or none. */
  console: 'vite' | 'dist' | 'off';
  host: string;
  port: number;
  databaseUrl: string | undefined;
  embeddedPostgres: { dataDir: string; port: number };
  dbPoolMax: number;
  dbStatementTimeoutMs: number;
  logLevel: string;
  fiscal: { startMonth: number; timeZone: string };
  defaultCurrency: string;
  tokenHashKey: string;
  demoSeed: boolean;
  graphiql: boolean;
  shutdownGraceMs: number;
  /** A booking still BOOKED this many days after its planned date lapses and releases its reservation. */
  reservationLapseDays: number;
  /** How often the server sweeps lapsed reservations; 0 turns the in-server sweep off. */
  expirySweepIntervalMs: number;
  /** How often the server rolls queued ledger entries into the report rollups; 0 turns it off. */
  rollupIntervalMs: number;
  /** Limits every GraphQL operation must keep; refusals name the limit. */
  graphqlLimits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
  };
  /** Schema introspection (on outside production unless INTROSPECTION says otherwise). */
  introspection: boolean;
  /** GraphQL requests per minute per API token and instance; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Requests per minute per client address without a valid token (anonymous or unknown); 0 turns it off. */
  anonymousRateLimitPerMinute: number;
  /** How long an idempotency key answers replays; older keys are pruned and count as new. */
  idempotencyKeyRetentionHours: number;
  /** How long an instance remembers who a token names (users/token-cache.ts); 0: not at all. */
  tokenCacheMs: number;
  /** The job queue (src/jobs): jobs run at once per instance, and how often it looks for due ones. */
  jobs: { concurrency: number; pollIntervalMs: number };
  webhooks: {
    /** One attempt's limit, connect to last byte. */
    timeoutMs: number;
    /** The first retry's delay; each next one is 4 times longer (capped at 12 h), ±20% jitter. */
    retryBaseMs: number;
    /** No retry starts later than this after the first attempt (3 days). */
    retryWindowMs: number;
    /** An endpoint failing without a success for this long (and 5 attempts) is disabled. */
    disableAfterMs: number;
    /** Loopback, private and link-local addresses: refused unless this is set (tests set it). */
    allowPrivateTargets: boolean;
  };
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Variables whose value may be a secret: errors name them but never print what they hold. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'TOKEN_HASH_KEY']);

/** A development-only key; production must set TOKEN_HASH_KEY (checked below). */
const DEVELOPMENT_TOKEN_HASH_KEY = 'development-only-token-hash-key';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as shells and .env files often produce them.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = present[variable];
    // A value that may hold a secret (a password in a URL, a key) is never echoed back.
    const shown = got === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(got)})`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const v = parsed.data;
  const production = v.NODE_ENV === 'production';
  if (production && !v.TOKEN_HASH_KEY) {
    throw new ConfigError('TOKEN_HASH_KEY', 'must be set in production (a secret of at least 16 characters)');
  }
  // The demo's users have fixed, published tokens: they must never exist beside real data.
  if (production && v.DEMO_SEED) {
    throw new ConfigError(
      'DEMO_SEED',
      'cannot be true in production: the demo users have published tokens (create the first ADMIN with npm run create-admin)',
    );
  }
  return {
    env: v.NODE_ENV,
    host: v.HOST,
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    embeddedPostgres: { dataDir: v.EMBEDDED_PG_DIR, port: v.EMBEDDED_PG_PORT },
    dbPoolMax: v.DB_POOL_MAX,
    dbStatementTimeoutMs: v.DB_STATEMENT_TIMEOUT_MS,
    logLevel: v.LOG_LEVEL,
    fiscal: { startMonth: v.FISCAL_YEAR_START_MONTH, timeZone: v.FISCAL_TIME_ZONE },
    defaultCurrency: v.DEFAULT_CURRENCY,
    tokenHashKey: v.TOKEN_HASH_KEY ?? DEVELOPMENT_TOKEN_HASH_KEY,
    demoSeed: v.DEMO_SEED ?? !production,
    graphiql: v.GRAPHIQL ?? !production,
    console: v.CONSOLE ?? (production ? 'dist' : v.NODE_ENV === 'test' ? 'off' : 'vite'),
    shutdownGraceMs: v.SHUTDOWN_GRACE_MS,
    reservationLapseDays: v.RESERVATION_LAPSE_DAYS,
    expirySweepIntervalMs: v.EXPIRY_SWEEP_INTERVAL_MS,
    rollupIntervalMs: v.ROLLUP_INTERVAL_MS,
    graphqlLimits: {
      maxDepth: v.GRAPHQL_MAX_DEPTH,
      maxAliases: v.GRAPHQL_MAX_ALIASES,
      maxDirectives: v.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: v.GRAPHQL_MAX_TOKENS,
      maxCost: v.GRAPHQL_MAX_COST,
    },
    introspection: v.INTROSPECTION ?? !production,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    anonymousRateLimitPerMinute: v.ANONYMOUS_RATE_LIMIT_PER_MINUTE,
    idempotencyKeyRetentionHours: v.IDEMPOTENCY_KEY_RETENTION_HOURS,
    tokenCacheMs: v.TOKEN_CACHE_MS,
    jobs: { concurrency: v.JOB_CONCURRENCY, pollIntervalMs: v.JOB_POLL_INTERVAL_MS },
    webhooks: {
      timeoutMs: v.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: v.WEBHOOK_RETRY_BASE_MS,
      retryWindowMs: v.WEBHOOK_RETRY_WINDOW_MS,
      disableAfterMs: v.WEBHOOK_DISABLE_AFTER_MS,
      allowPrivateTargets: v.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    },
  };
}
