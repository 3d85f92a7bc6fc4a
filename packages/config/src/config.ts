import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readVariable, type Env } from './read-env.js';
import { VARIABLE_NAMES, type ConfigVariable } from './variables.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The whole configuration of a hamdam process, validated once at boot and frozen. */
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
  readonly http: { readonly host: string; readonly port: number };
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
    readonly chatRatePerSec: number;
    readonly chatBurst: number;
    readonly globalRatePerSec: number;
    readonly globalBurst: number;
    /** How long a claimed outbox entry stays with one worker without renewal. */
    readonly leaseMs: number;
    readonly broadcastRatePerSec: number;
  };
  readonly rules: {
    readonly recentPartnerMs: number;
    readonly idleChatMs: number;
    readonly queueIdleMs: number;
    readonly widenAfterMs: number;
    readonly floodBurst: number;
    readonly floodPerMinute: number;
    readonly outboxCap: number;
    readonly noticeCap: number;
    readonly reportThreshold: number;
    readonly reportWindowMs: number;
    readonly reportBanMs: number;
  };
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
  const v = {} as Record<ConfigVariable, unknown>;
  for (const name of VARIABLE_NAMES) v[name] = readVariable(env, name, problems);
  const str = (name: ConfigVariable) => v[name] as string;
  const opt = (name: ConfigVariable) => v[name] as string | null;
  const num = (name: ConfigVariable) => v[name] as number;

  const token = opt('BOT_TOKEN');
  const emulated = token === null;
  let secret = opt('WEBHOOK_SECRET');
  // With a real token, set-webhook and every worker must read the same secret: one made up
  // here would differ per process, and Telegram's updates would be refused as forged.
  if (!emulated && (secret?.length ?? 0) < MIN_SECRET_LENGTH) {
    problems.push(
      `WEBHOOK_SECRET is required when BOT_TOKEN is set: at least ${MIN_SECRET_LENGTH} characters of A-Za-z0-9_-`,
    );
  }
  secret ??= randomBytes(24).toString('base64url');
  const redisUrl = opt('REDIS_URL');
  const workers = (v.WORKERS as number | null) ?? availableParallelism();
  const poolBudget = num('PG_POOL_BUDGET');
  if (workers > poolBudget) {
    problems.push(
      `PG_POOL_BUDGET (${poolBudget}) must be at least WORKERS (${workers}): each worker needs a connection`,
    );
  }
  if (redisUrl === null && workers > 1 && env['WORKERS'] !== undefined) {
    problems.push(
      'WORKERS > 1 needs REDIS_URL: the embedded state store cannot be shared between processes',
    );
  }
  if (redisUrl !== null && workers > 1 && opt('DATABASE_URL') === null) {
    problems.push(
      `REDIS_URL with ${workers} workers needs DATABASE_URL: the embedded database belongs to one process (set DATABASE_URL, or WORKERS=1)`,
    );
  }
  if (num('RETENTION_DAYS') * 86_400_000 < num('REPORT_WINDOW_MS')) {
    problems.push('RETENTION_DAYS must cover REPORT_WINDOW_MS: reports count for that long');
  }
  const sendTimeoutMs = num('SEND_TIMEOUT_MS');
  const leaseMs = num('SEND_LEASE_MS');

  const config: Config = {
    emulated,
    telegram: {
      token: token ?? '1000000000:emulated-bot-token-0000000000',
      apiRoot: str('BOT_API_ROOT'),
      connections: num('SEND_CONNECTIONS'),
      timeoutMs: sendTimeoutMs,
    },
    webhook: {
      secret,
      path: str('WEBHOOK_PATH'),
      publicUrl: opt('PUBLIC_URL'),
      maxConnections: num('WEBHOOK_MAX_CONNECTIONS'),
      bodyLimitBytes: num('BODY_LIMIT_BYTES'),
      handlerTimeoutMs: num('HANDLER_TIMEOUT_MS'),
    },
    http: { host: str('HOST'), port: num('PORT') },
    redis: {
      url: redisUrl,
      clusterNodes: hostPorts(opt('REDIS_CLUSTER_NODES')),
      prefix: str('REDIS_PREFIX'),
    },
    database: {
      url: opt('DATABASE_URL'),
      dataDir: str('DATA_DIR'),
      poolBudget,
      migrateOnStart: str('MIGRATE_ON_START') === 'true',
      retentionDays: num('RETENTION_DAYS'),
    },
    // Without Redis there is exactly one process, whatever the core count says.
    workers: redisUrl === null ? 1 : workers,
    workerIndex: num('WORKER_INDEX'),
    workerRestarts: num('WORKER_RESTARTS'),
    logLevel: str('LOG_LEVEL') as LogLevel,
    adminIds: ids(opt('ADMIN_IDS'), problems),
    sending: {
      chatRatePerSec: num('CHAT_RATE_PER_SEC'),
      chatBurst: num('CHAT_BURST'),
      globalRatePerSec: num('SEND_RATE_PER_SEC'),
      globalBurst: num('SEND_BURST'),
      leaseMs,
      broadcastRatePerSec: num('BROADCAST_RATE_PER_SEC'),
    },
    rules: {
      recentPartnerMs: num('RECENT_PARTNER_MS'),
      idleChatMs: num('IDLE_CHAT_MS'),
      queueIdleMs: num('QUEUE_IDLE_MS'),
      widenAfterMs: num('WIDEN_AFTER_MS'),
      floodBurst: num('FLOOD_BURST'),
      floodPerMinute: num('FLOOD_PER_MINUTE'),
      outboxCap: num('OUTBOX_CAP'),
      noticeCap: num('NOTICE_CAP'),
      reportThreshold: num('REPORT_BAN_THRESHOLD'),
      reportWindowMs: num('REPORT_WINDOW_MS'),
      reportBanMs: num('REPORT_BAN_MS'),
    },
    emulator: {
      embedded: emulated && env['BOT_API_ROOT'] === undefined,
      port: num('EMULATOR_PORT'),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
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
