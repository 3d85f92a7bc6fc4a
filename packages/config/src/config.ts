import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readEnv, type Env } from './read-env.js';
import {
  VARIABLE_NAMES,
  variableSchema,
  type ConfiguredLimit,
  type ConfiguredLimits,
  type EnvValues,
  type LogLevel,
} from './variables.js';

/**
 * The whole configuration of a hamdam process, validated once at boot and frozen. Its values
 * have the types the schema gives them (`EnvValues`); `limits` are the store's own.
 */
export interface Config {
  /** No BOT_TOKEN: the bot talks to the built-in Bot API emulator instead of Telegram. */
  readonly emulated: boolean;
  readonly telegram: {
    readonly token: string;
    readonly apiRoot: string;
    /** Bot API connections of one worker's sender pool. */
    readonly connections: number;
    /** Longest wait for one Bot API answer; shorter than the send lease. */
    readonly timeoutMs: number;
  };
  readonly webhook: {
    readonly secret: string;
    readonly path: string;
    readonly publicUrl: string | null;
    readonly maxConnections: number;
    readonly bodyLimitBytes: number;
    readonly handlerTimeoutMs: number;
  };
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Where worker i also takes webhook requests, on `worker-<i>.sock`; null: the port only. */
    readonly socketDir: string | null;
  };
  readonly redis: {
    readonly url: string | null;
    /** Seed nodes of a Redis Cluster; when set, the store talks to the cluster. */
    readonly clusterNodes: readonly { readonly host: string; readonly port: number }[];
    readonly prefix: string;
  };
  readonly database: {
    readonly url: string | null;
    readonly dataDir: string;
    /** Postgres connections for all workers together; each gets budget ÷ workers. */
    readonly poolBudget: number;
    /** Workers migrate the schema themselves (in the background while Postgres is away). */
    readonly migrateOnStart: boolean;
    /** Finished chats and reports older than this many days are deleted. */
    readonly retentionDays: number;
  };
  readonly workers: number;
  /** Which worker this process is (0-based); set by the supervisor, picks the port. */
  readonly workerIndex: number;
  /** How many times the supervisor restarted this worker's slot before this start. */
  readonly workerRestarts: number;
  readonly logLevel: LogLevel;
  readonly adminIds: readonly number[];
  readonly sending: {
    /** How long a claimed outbox entry stays with one worker without renewal. */
    readonly leaseMs: number;
    readonly broadcastRatePerSec: number;
  };
  /** The store's limits that operators set (pacing, flood control, matchmaking, bans). */
  readonly limits: ConfiguredLimits;
  /** Start the built-in emulator: no BOT_TOKEN and no BOT_API_ROOT (an emulator run elsewhere). */
  readonly emulator: { readonly embedded: boolean; readonly port: number };
}

/** Shortest webhook secret accepted with a real token: short ones can be guessed. */
export const MIN_SECRET_LENGTH = 16;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'HAMDAM_ERR_CONFIG';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Reads and checks every variable, collecting all problems before failing. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const v = readEnv(env, problems);

  const token = v.BOT_TOKEN ?? null;
  const emulated = token === null;
  let secret = v.WEBHOOK_SECRET ?? null;
  // With a real token, set-webhook and every worker must read the same secret: one made up
  // here would differ per process, and Telegram's updates would be refused as forged.
  if (!emulated && (secret?.length ?? 0) < MIN_SECRET_LENGTH) {
    problems.push(
      `WEBHOOK_SECRET is required when BOT_TOKEN is set: at least ${MIN_SECRET_LENGTH} characters of A-Za-z0-9_-`,
    );
  }
  secret ??= randomBytes(24).toString('base64url');
  const redisUrl = v.REDIS_URL ?? null;
  const workers = v.WORKERS ?? availableParallelism();
  const poolBudget = v.PG_POOL_BUDGET;
  if (workers > poolBudget) {
    problems.push(
      `PG_POOL_BUDGET (${poolBudget}) must be at least WORKERS (${workers}): each worker needs a connection`,
    );
  }
  problems.push(...unixSocketProblems(redisUrl, v.REDIS_CLUSTER_NODES));
  if (redisUrl === null && workers > 1 && env['WORKERS'] !== undefined) {
    problems.push(
      'WORKERS > 1 needs REDIS_URL: the embedded state store cannot be shared between processes',
    );
  }
  if (redisUrl !== null && workers > 1 && v.DATABASE_URL === undefined) {
    problems.push(
      `REDIS_URL with ${workers} workers needs DATABASE_URL: the embedded database belongs to one process (set DATABASE_URL, or WORKERS=1)`,
    );
  }
  if (v.RETENTION_DAYS * 86_400_000 < v.REPORT_WINDOW_MS) {
    problems.push('RETENTION_DAYS must cover REPORT_WINDOW_MS: reports count for that long');
  }

  const config: Config = {
    emulated,
    telegram: {
      token: token ?? '1000000000:emulated-bot-token-0000000000',
      apiRoot: v.BOT_API_ROOT,
      connections: v.SEND_CONNECTIONS,
      timeoutMs: v.SEND_TIMEOUT_MS,
    },
    webhook: {
      secret,
      path: v.WEBHOOK_PATH,
      publicUrl: v.PUBLIC_URL ?? null,
      maxConnections: v.WEBHOOK_MAX_CONNECTIONS,
      bodyLimitBytes: v.BODY_LIMIT_BYTES,
      handlerTimeoutMs: v.HANDLER_TIMEOUT_MS,
    },
    http: { host: v.HOST, port: v.PORT, socketDir: v.HTTP_SOCKET_DIR ?? null },
    redis: {
      url: redisUrl,
      clusterNodes: hostPorts(v.REDIS_CLUSTER_NODES ?? null),
      prefix: v.REDIS_PREFIX,
    },
    database: {
      url: v.DATABASE_URL ?? null,
      dataDir: v.DATA_DIR,
      poolBudget,
      migrateOnStart: v.MIGRATE_ON_START === 'true',
      retentionDays: v.RETENTION_DAYS,
    },
    // Without Redis there is exactly one process, whatever the core count says.
    workers: redisUrl === null ? 1 : workers,
    workerIndex: v.WORKER_INDEX,
    workerRestarts: v.WORKER_RESTARTS,
    logLevel: v.LOG_LEVEL,
    adminIds: ids(v.ADMIN_IDS ?? null, problems),
    sending: { leaseMs: v.SEND_LEASE_MS, broadcastRatePerSec: v.BROADCAST_RATE_PER_SEC },
    limits: limitsOf(v),
    emulator: {
      embedded: emulated && env['BOT_API_ROOT'] === undefined,
      port: v.EMULATOR_PORT,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** The store limits, from the variables that set them. */
function limitsOf(v: EnvValues): ConfiguredLimits {
  const limits: Partial<Record<ConfiguredLimit, number>> = {};
  for (const name of VARIABLE_NAMES) {
    const limit = variableSchema(name).limit;
    if (limit !== undefined) limits[limit as ConfiguredLimit] = v[name] as number;
  }
  return limits as ConfiguredLimits;
}

function hostPorts(list: string | null): { host: string; port: number }[] {
  if (list === null) return [];
  return list.split(',').map((part) => {
    const m = /^\s*(.+):(\d+)\s*$/.exec(part)!;
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  });
}

function ids(list: string | null, problems: string[]): number[] {
  if (list === null) return [];
  const out = list.split(',').map((part) => Number(part.trim()));
  if (out.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    problems.push('ADMIN_IDS must list positive whole numbers separated by commas');
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A `unix:` REDIS_URL names a socket on this host: a path, no other host, no Cluster. */
function unixSocketProblems(redisUrl: string | null, clusterNodes: string | undefined): string[] {
  if (redisUrl === null || !redisUrl.startsWith('unix:')) return [];
  const parsed = new URL(redisUrl);
  const problems: string[] = [];
  if (
    parsed.pathname === '' ||
    parsed.pathname === '/' ||
    !['', 'localhost'].includes(parsed.hostname)
  ) {
    problems.push(
      'REDIS_URL of a Unix socket must be unix:///path/to/redis.sock (or unix://user:password@localhost/path)',
    );
  }
  if (clusterNodes !== undefined) {
    problems.push(
      'REDIS_CLUSTER_NODES needs a redis:// or rediss:// REDIS_URL: a Cluster is reached over TCP',
    );
  }
  return problems;
}
