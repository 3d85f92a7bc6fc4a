import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';

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
  };
  readonly workers: number;
  /** Which worker this process is (0-based); set by the supervisor, picks the port. */
  readonly workerIndex: number;
  readonly logLevel: LogLevel;
  readonly adminIds: readonly number[];
  readonly sending: {
    readonly chatRatePerSec: number;
    readonly chatBurst: number;
    readonly globalRatePerSec: number;
    readonly globalBurst: number;
    /** How long a claimed outbox entry stays with one worker before another may resend it. */
    readonly leaseMs: number;
  };
  /** Start the built-in emulator: no BOT_TOKEN and no BOT_API_ROOT (an emulator run elsewhere). */
  readonly emulator: { readonly embedded: boolean; readonly port: number };
}

/** Every variable the configuration reads, with its meaning; the README's table mirrors it. */
export const CONFIG_VARIABLES = {
  BOT_TOKEN: 'Bot token from @BotFather. Unset: run against the built-in Bot API emulator.',
  BOT_API_ROOT: 'Bot API base URL (default https://api.telegram.org).',
  WEBHOOK_SECRET:
    'Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Za-z0-9_-). Required with BOT_TOKEN.',
  WEBHOOK_PATH: 'Path of the webhook route (default /telegram/webhook).',
  PUBLIC_URL: 'Public HTTPS origin Telegram posts to, used by `npm run set-webhook`.',
  WEBHOOK_MAX_CONNECTIONS: 'max_connections given to setWebhook, 1-100 (default 100).',
  BODY_LIMIT_BYTES: 'Largest webhook body accepted (default 262144).',
  HANDLER_TIMEOUT_MS: 'Longest time one update may take before it is answered (default 10000).',
  HOST: 'Interface the worker listens on (default 127.0.0.1).',
  PORT: 'Port of the first worker; worker i listens on PORT+i (default 3000).',
  REDIS_URL:
    'redis:// or rediss:// URL of the shared state. Unset: in-process store (one worker only).',
  REDIS_CLUSTER_NODES:
    'host:port,host:port seed nodes of a Redis Cluster (used instead of the single node of REDIS_URL; REDIS_URL must still be set).',
  REDIS_PREFIX: 'Key prefix with one hash tag (default hamdam:{h}:).',
  DATABASE_URL: 'postgres:// URL. Unset: embedded PGlite in DATA_DIR.',
  DATA_DIR: 'Where the embedded database keeps its files (default .data).',
  PG_POOL_BUDGET: 'Postgres connections for all workers together (default 16).',
  WORKERS: 'Worker processes (default: one per core).',
  WORKER_INDEX: 'Set by the supervisor for each worker process (0-based); not for operators.',
  LOG_LEVEL: 'fatal, error, warn, info, debug, trace or silent (default info).',
  ADMIN_IDS: 'Comma-separated Telegram user ids allowed to use admin commands.',
  SEND_CONNECTIONS: 'Bot API connections per worker (default 32).',
  CHAT_RATE_PER_SEC: 'Sustained sends per second to one chat (default 1).',
  CHAT_BURST: 'Sends to one chat allowed at once before pacing (default 5).',
  SEND_RATE_PER_SEC: 'Global send budget per second across all workers, 0 for none (default 0).',
  SEND_BURST: 'Burst of the global send budget (default 100).',
  SEND_TIMEOUT_MS: 'Longest wait for one Bot API answer (default 10000).',
  SEND_LEASE_MS:
    'How long a worker holds a message it is sending before another worker may resend it; at least SEND_TIMEOUT_MS + 2000 (default 15000).',
  EMULATOR_PORT: 'Port of the built-in emulator and its playground (default 8081).',
} as const;
export type ConfigVariable = keyof typeof CONFIG_VARIABLES;
export type Env = Readonly<Partial<Record<string, string>>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'HAMDAM_ERR_CONFIG';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;
const PATH = /^\/[A-Za-z0-9/_.-]*$/;

/** Reads and checks every variable, collecting all problems before failing. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const read = new Reader(env, problems);

  const token = read.optional(
    'BOT_TOKEN',
    (v) => TOKEN.test(v),
    'must look like 123456:ABC… from @BotFather',
  );
  const emulated = token === null;
  const apiRoot = read.url('BOT_API_ROOT', 'https://api.telegram.org', ['http:', 'https:']);
  let secret = read.optional(
    'WEBHOOK_SECRET',
    (v) => SECRET.test(v),
    'must be 1-256 characters of A-Za-z0-9_-',
  );
  if (secret === null) {
    if (!emulated && env['WEBHOOK_SECRET'] === undefined) {
      problems.push('WEBHOOK_SECRET is required when BOT_TOKEN is set');
    }
    secret = randomBytes(24).toString('base64url');
  }
  const path =
    read.optional('WEBHOOK_PATH', (v) => PATH.test(v), 'must start with / and use A-Za-z0-9/_.-') ??
    '/telegram/webhook';
  const publicUrl = read.optionalUrl('PUBLIC_URL', ['https:', 'http:']);
  const redisUrl = read.optionalUrl('REDIS_URL', ['redis:', 'rediss:']);
  const prefix =
    read.optional(
      'REDIS_PREFIX',
      (v) => /^[^{}]*\{[^{}]+\}[^{}]*$/.test(v),
      'must contain exactly one {hash tag}',
    ) ?? 'hamdam:{h}:';
  const databaseUrl = read.optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']);
  const workers = read.int('WORKERS', availableParallelism(), 1, 256);
  const poolBudget = read.int('PG_POOL_BUDGET', 16, 1, 1000);
  if (workers > poolBudget)
    problems.push(
      `PG_POOL_BUDGET (${poolBudget}) must be at least WORKERS (${workers}): each worker needs a connection`,
    );
  if (redisUrl === null && workers > 1 && env['WORKERS'] !== undefined) {
    problems.push(
      'WORKERS > 1 needs REDIS_URL: the in-process store cannot be shared between processes',
    );
  }
  const logLevel =
    read.optional(
      'LOG_LEVEL',
      (v) => (LOG_LEVELS as readonly string[]).includes(v),
      `must be one of ${LOG_LEVELS.join(', ')}`,
    ) ?? 'info';
  const adminIds = read.idList('ADMIN_IDS');
  const sendTimeoutMs = read.int('SEND_TIMEOUT_MS', 10_000, 100, 120_000);
  const leaseMs = read.int('SEND_LEASE_MS', 15_000, 500, 600_000);
  // A send outliving its lease would be sent a second time by another worker while alive.
  if (leaseMs < sendTimeoutMs + 2_000) {
    problems.push(
      `SEND_LEASE_MS (${leaseMs}) must be at least SEND_TIMEOUT_MS + 2000 (${sendTimeoutMs + 2_000})`,
    );
  }

  const config: Config = {
    emulated,
    telegram: {
      token: token ?? '1000000000:emulated-bot-token-0000000000',
      apiRoot,
      connections: read.int('SEND_CONNECTIONS', 32, 1, 1024),
      timeoutMs: sendTimeoutMs,
    },
    webhook: {
      secret,
      path,
      publicUrl,
      maxConnections: read.int('WEBHOOK_MAX_CONNECTIONS', 100, 1, 100),
      bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 262_144, 1024, 52_428_800),
      handlerTimeoutMs: read.int('HANDLER_TIMEOUT_MS', 10_000, 100, 50_000),
    },
    http: { host: read.string('HOST', '127.0.0.1'), port: read.int('PORT', 3000, 1, 65535) },
    redis: { url: redisUrl, clusterNodes: read.hostPorts('REDIS_CLUSTER_NODES'), prefix },
    database: { url: databaseUrl, dataDir: read.string('DATA_DIR', '.data'), poolBudget },
    // Without Redis there is exactly one process, whatever the core count says.
    workers: redisUrl === null ? 1 : workers,
    workerIndex: read.int('WORKER_INDEX', 0, 0, 255),
    logLevel: logLevel as LogLevel,
    adminIds,
    sending: {
      chatRatePerSec: read.number('CHAT_RATE_PER_SEC', 1, 0.01, 1000),
      chatBurst: read.int('CHAT_BURST', 5, 1, 1000),
      globalRatePerSec: read.number('SEND_RATE_PER_SEC', 0, 0, 100_000),
      globalBurst: read.int('SEND_BURST', 100, 1, 100_000),
      leaseMs,
    },
    emulator: {
      embedded: emulated && env['BOT_API_ROOT'] === undefined,
      port: read.int('EMULATOR_PORT', 8081, 0, 65535),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

class Reader {
  readonly #env: Env;
  readonly #problems: string[];
  constructor(env: Env, problems: string[]) {
    this.#env = env;
    this.#problems = problems;
  }

  #raw(name: ConfigVariable): string | null {
    const v = this.#env[name];
    return v === undefined || v.trim() === '' ? null : v.trim();
  }

  optional(name: ConfigVariable, ok: (v: string) => boolean, rule: string): string | null {
    const v = this.#raw(name);
    if (v === null) return null;
    if (!ok(v)) {
      // Never echo the value: it may be a secret.
      this.#problems.push(`${name} ${rule}`);
      return null;
    }
    return v;
  }

  string(name: ConfigVariable, fallback: string): string {
    return this.#raw(name) ?? fallback;
  }

  number(name: ConfigVariable, fallback: number, min: number, max: number): number {
    const v = this.#raw(name);
    if (v === null) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.#problems.push(`${name} must be a number from ${min} to ${max}, got "${v}"`);
      return fallback;
    }
    return n;
  }

  int(name: ConfigVariable, fallback: number, min: number, max: number): number {
    const v = this.#raw(name);
    if (v === null) return fallback;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < min || n > max) {
      this.#problems.push(`${name} must be a whole number from ${min} to ${max}, got "${v}"`);
      return fallback;
    }
    return n;
  }

  url(name: ConfigVariable, fallback: string, protocols: readonly string[]): string {
    return this.optionalUrl(name, protocols) ?? fallback;
  }

  optionalUrl(name: ConfigVariable, protocols: readonly string[]): string | null {
    const v = this.#raw(name);
    if (v === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(v);
    } catch {
      this.#problems.push(`${name} must be a URL (${protocols.join(' or ')})`);
      return null;
    }
    if (!protocols.includes(parsed.protocol)) {
      this.#problems.push(`${name} must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
      return null;
    }
    return v.replace(/\/+$/, '');
  }

  hostPorts(name: ConfigVariable): { host: string; port: number }[] {
    const v = this.#raw(name);
    if (v === null) return [];
    const out: { host: string; port: number }[] = [];
    for (const part of v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(part);
      const port = Number(m?.[2]);
      if (!m || port < 1 || port > 65535)
        this.#problems.push(`${name} must list host:port pairs, got "${part}"`);
      else out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
    }
    return out;
  }

  idList(name: ConfigVariable): number[] {
    const v = this.#raw(name);
    if (v === null) return [];
    const ids: number[] = [];
    for (const part of v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const n = Number(part);
      if (!/^\d+$/.test(part) || !Number.isSafeInteger(n) || n <= 0) {
        this.#problems.push(
          `${name} must list positive whole numbers separated by commas, got "${part}"`,
        );
      } else ids.push(n);
    }
    return ids;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
