import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { LimitName, StoreLimits } from '@hamdam/store';
import { int, limit, num, str, url, type VariableDoc } from './variable-kinds.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const TOKEN_PATTERN = '^\\d{1,20}:[A-Za-z0-9_-]{20,100}$';
export const SECRET_PATTERN = '^[A-Za-z0-9_-]{1,256}$';
export const PREFIX_PATTERN = '^[^{}]*\\{[^{}]+\\}[^{}]*$';

/**
 * Every environment variable hamdam reads, declared once: its type and range (JSON Schema via
 * TypeBox), its default, what it means, where it belongs in `.env.example`, and whether it is a
 * secret (never echoed). A variable without a default is optional. The variables that set the
 * store's limits take their type, range and default from the store's own table
 * (`STORE_LIMITS`). `loadConfig` validates against this schema; the README's table and
 * `.env.example` are generated from it (`npm run docs:config`) and a test keeps them in step.
 */
export const ENV_SCHEMA = Type.Object({
  BOT_TOKEN: str({
    pattern: TOKEN_PATTERN,
    secret: true,
    rule: 'must look like 123456:ABC… from @BotFather',
    group: 'Telegram',
    example: '123456789:AA...',
    description: 'Bot token from @BotFather. Unset: run against the built-in Bot API emulator.',
  }),
  BOT_API_ROOT: url(['http:', 'https:'], {
    default: 'https://api.telegram.org',
    group: 'Telegram',
    description: 'Bot API base URL.',
  }),
  WEBHOOK_SECRET: str({
    pattern: SECRET_PATTERN,
    secret: true,
    rule: 'must be 1-256 characters of A-Za-z0-9_-',
    group: 'Telegram',
    example: 'change-me-to-a-long-random-string',
    description:
      'Secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` (1-256 of `A-Za-z0-9_-`). Required with `BOT_TOKEN`, at least 16 characters, the same for `set-webhook` and every worker.',
  }),
  WEBHOOK_PATH: str({
    pattern: '^/[A-Za-z0-9/_.-]*$',
    default: '/telegram/webhook',
    rule: 'must start with / and use A-Za-z0-9/_.-',
    group: 'Telegram',
    description: 'Path of the webhook route.',
  }),
  PUBLIC_URL: url(['https:', 'http:'], {
    group: 'Telegram',
    example: 'https://bot.example.org',
    description: 'Public HTTPS origin Telegram posts to, used by `npm run set-webhook`.',
  }),
  WEBHOOK_MAX_CONNECTIONS: int(1, 100, 100, {
    group: 'Telegram',
    description: '`max_connections` given to setWebhook.',
  }),
  BODY_LIMIT_BYTES: int(1024, 52_428_800, 262_144, {
    group: 'Telegram',
    description: 'Largest webhook body accepted; larger gets 413.',
  }),
  HANDLER_TIMEOUT_MS: int(100, 50_000, 10_000, {
    group: 'Telegram',
    description: "Longest time one update may take, well under Telegram's 60 s.",
  }),
  HOST: str({
    default: '127.0.0.1',
    group: 'Workers',
    description: 'Interface the worker listens on.',
  }),
  PORT: int(1, 65_535, 3000, {
    group: 'Workers',
    description: 'Port of the first worker; worker *i* listens on `PORT`+*i*.',
  }),
  HTTP_SOCKET_DIR: str({
    pattern: '^/[A-Za-z0-9/_.-]{1,80}$',
    rule: 'must be an absolute path of at most 81 characters of A-Za-z0-9/_.-',
    group: 'Workers',
    example: '/run/hamdam',
    description:
      'Directory where worker *i* also takes webhook requests on the Unix socket `worker-`*i*`.sock`, for an nginx on the same host; its port stays for health and metrics. Unset: the port only.',
  }),
  WORKERS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 256,
      group: 'Workers',
      defaultText: 'one per core',
      example: '8',
      description: 'Worker processes. More than one needs `REDIS_URL` and `DATABASE_URL`.',
    }),
  ),
  WORKER_INDEX: int(0, 255, 0, {
    group: 'Workers',
    internal: true,
    description: 'Set by the supervisor for each worker process (0-based); not for operators.',
  }),
  WORKER_RESTARTS: int(0, 1_000_000_000, 0, {
    group: 'Workers',
    internal: true,
    description:
      'Set by the supervisor: how many times it restarted this worker slot before; not for operators.',
  }),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
    {
      default: 'info',
      group: 'Workers',
      description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
    } satisfies VariableDoc & { default: string },
  ),
  ADMIN_IDS: str({
    pattern: '^\\s*\\d+\\s*(,\\s*\\d+\\s*)*$',
    rule: 'must list positive whole numbers separated by commas',
    group: 'Workers',
    example: '',
    description: 'Comma-separated Telegram user ids allowed to use admin commands.',
  }),
  REDIS_URL: url(['redis:', 'rediss:', 'unix:'], {
    secret: true,
    group: 'Shared state and database',
    example: 'redis://127.0.0.1:6379',
    description:
      '`redis://` or `rediss://` URL of the shared state, or `unix:///path/to/redis.sock` for a Redis on the same host over its Unix socket (user and password as `unix://user:password@localhost/path`). Unset: the embedded in-memory engine, one worker only.',
  }),
  REDIS_CLUSTER_NODES: str({
    pattern: '^\\s*[A-Za-z0-9.\\[\\]:-]+:\\d{1,5}\\s*(,\\s*[A-Za-z0-9.\\[\\]:-]+:\\d{1,5}\\s*)*$',
    rule: 'must list host:port pairs separated by commas',
    group: 'Shared state and database',
    example: '10.0.0.1:6379,10.0.0.2:6379,10.0.0.3:6379',
    description:
      "`host:port,host:port` seed nodes of a Redis Cluster, used instead of `REDIS_URL`'s single node (`REDIS_URL` must still be set).",
  }),
  REDIS_PREFIX: str({
    pattern: PREFIX_PATTERN,
    default: 'hamdam:{h}:',
    rule: 'must contain exactly one {hash tag}',
    group: 'Shared state and database',
    description: 'Key prefix with one hash tag.',
  }),
  DATABASE_URL: url(['postgres:', 'postgresql:'], {
    secret: true,
    group: 'Shared state and database',
    example: 'postgres://hamdam@127.0.0.1:5432/hamdam',
    description: '`postgres://` URL. Unset: embedded PGlite in `DATA_DIR`.',
  }),
  PG_POOL_BUDGET: int(1, 1000, 16, {
    group: 'Shared state and database',
    description:
      'Postgres connections for all workers together; each worker gets budget ÷ `WORKERS`.',
  }),
  MIGRATE_ON_START: Type.Union([Type.Literal('true'), Type.Literal('false')], {
    default: 'true',
    group: 'Shared state and database',
    description:
      'Workers bring the Postgres schema up to date, retrying in the background while it is away. `false` when `npm run migrate` does it (e.g. behind PgBouncer in transaction mode).',
  } satisfies VariableDoc & { default: string }),
  DATA_DIR: str({
    default: '.data',
    group: 'Shared state and database',
    description: 'Where the embedded database keeps its files.',
  }),
  RETENTION_DAYS: int(1, 3650, 180, {
    group: 'Shared state and database',
    description:
      'Days finished chats and reports stay in Postgres; older ones are deleted by the periodic work. At least `REPORT_WINDOW_MS`.',
  }),
  SEND_CONNECTIONS: int(1, 1024, 32, {
    group: 'Sending',
    description: 'Bot API connections per worker.',
  }),
  CHAT_RATE_PER_SEC: limit('chatRatePerSec', {
    group: 'Sending',
    description: 'Sustained sends per second to one chat.',
  }),
  CHAT_BURST: limit('chatBurst', {
    group: 'Sending',
    description: 'Sends to one chat allowed at once before pacing.',
  }),
  SEND_RATE_PER_SEC: limit('globalRatePerSec', {
    group: 'Sending',
    description: 'Global send budget per second across all workers, 0 for none.',
  }),
  SEND_BURST: limit('globalBurst', {
    group: 'Sending',
    description: 'Burst of the global send budget.',
  }),
  SEND_TIMEOUT_MS: int(100, 120_000, 30_000, {
    group: 'Sending',
    description:
      "Longest wait for one Bot API answer. Above Telegram's own answer times: a call given up on may still have been done, and is sent again.",
  }),
  SEND_LEASE_MS: int(1_500, 600_000, 15_000, {
    group: 'Sending',
    description:
      'How long a message being sent stays with its worker without renewal; a live worker renews it every third of this, so only a dead worker’s messages are sent again, this long after it died.',
  }),
  BROADCAST_RATE_PER_SEC: num(0.1, 1_000, 20, {
    group: 'Sending',
    description:
      'Messages of an admin broadcast queued per second (the global send budget applies on top).',
  }),
  RECENT_PARTNER_MS: limit('recentPartnerMs', {
    group: 'Matchmaking and safety',
    description: 'Two users who just chatted are not paired again for this long.',
  }),
  IDLE_CHAT_MS: limit('idleChatMs', {
    group: 'Matchmaking and safety',
    description: 'A chat nobody wrote in for this long ends; both are told.',
  }),
  QUEUE_IDLE_MS: limit('queueIdleMs', {
    group: 'Matchmaking and safety',
    description:
      'A user waiting in the queue who did nothing for this long is taken out; they are told.',
  }),
  WIDEN_AFTER_MS: limit('widenAfterMs', {
    group: 'Matchmaking and safety',
    description:
      'After this long in the queue, age-range and language filters widen (gender never does); 0 for never.',
  }),
  FLOOD_BURST: limit('floodBurst', {
    group: 'Matchmaking and safety',
    description:
      'Updates (messages, commands, button presses; an album counts once) a user may send at once before flood control drops the rest. Onboarding and Find take five.',
  }),
  FLOOD_PER_MINUTE: limit('floodPerMinute', {
    group: 'Matchmaking and safety',
    description:
      'Updates a user may send per minute once the burst is spent; below the per-chat send rate, so what a user is owed cannot pile up.',
  }),
  OUTBOX_CAP: limit('outboxCap', {
    group: 'Matchmaking and safety',
    description:
      'Relayed messages and edits one chat may be owed; past it new ones are dropped and the sender told.',
  }),
  NOTICE_CAP: limit('noticeCap', {
    group: 'Matchmaking and safety',
    description:
      "The bot's own notices one chat may be owed (flood control keeps a user well below it); past it new ones are dropped.",
  }),
  REPORT_BAN_THRESHOLD: limit('reportThreshold', {
    group: 'Matchmaking and safety',
    description: 'Distinct users whose reports within `REPORT_WINDOW_MS` ban a user.',
  }),
  REPORT_WINDOW_MS: limit('reportWindowMs', {
    group: 'Matchmaking and safety',
    description: 'The window in which reports count towards a ban.',
  }),
  REPORT_BAN_MS: limit('reportBanMs', {
    group: 'Matchmaking and safety',
    description: 'How long a ban after reports lasts.',
  }),
  EMULATOR_PORT: int(0, 65_535, 8081, {
    group: 'Embedded default',
    description: 'Port of the built-in emulator and its playground.',
  }),
});

export type ConfigVariable = keyof typeof ENV_SCHEMA.properties;

/** The variables once read: each of its type, defaults filled in, the optional ones absent. */
export type EnvValues = Static<typeof ENV_SCHEMA>;
export type LogLevel = EnvValues['LOG_LEVEL'];

type Variables = typeof ENV_SCHEMA.properties;
/** The store limits the configuration sets. */
export type ConfiguredLimit = {
  [V in ConfigVariable]: Variables[V] extends { readonly limit: infer K extends LimitName }
    ? K
    : never;
}[ConfigVariable];
export type ConfiguredLimits = Pick<StoreLimits, ConfiguredLimit>;

/** The schema of one variable, with its documentation. */
export type VariableSchema = TSchema & VariableDoc & { default?: unknown };

export function variableSchema(name: ConfigVariable): VariableSchema {
  return ENV_SCHEMA.properties[name] as unknown as VariableSchema;
}

export const VARIABLE_NAMES = Object.keys(ENV_SCHEMA.properties) as ConfigVariable[];
