import type { Logger } from 'pino';

export interface EmulatorOptions {
  /** The only bot token accepted; any other gets 401 Unauthorized. */
  token: string;
  /**
   * The bot's name: getMe's first_name (its username is derived from it) and the name the
   * playground shows. Default "hamdam".
   */
  botName?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Webhook retry backoff base. Telegram retries at once, then after 2, 4, 8 s... Default 1000. */
  retryBaseMs?: number;
  /** Cap of the webhook retry backoff. Default 60000. */
  retryMaxMs?: number;
  /** Per delivery attempt. Default 60000, Telegram's. */
  webhookTimeoutMs?: number;
  /**
   * Messages older than this (ms) are forgotten when their chat gets a new one, and can no
   * longer be copied or edited. Default: never. A long load test sets it so the emulator's
   * heap, and its garbage collector's pauses, stay small.
   */
  chatLogMaxAgeMs?: number;
  logger?: Logger | false;
}

export interface ResolvedOptions {
  readonly token: string;
  readonly botName: string;
  readonly host: string;
  readonly port: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly webhookTimeoutMs: number;
  readonly chatLogMaxAgeMs: number;
  readonly logger: Logger | undefined;
}

/** Tokens travel in the URL path, so they must be one clean path segment. */
const TOKEN = /^[A-Za-z0-9:_-]{1,200}$/;

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  if (typeof options.token !== 'string' || !TOKEN.test(options.token)) {
    throw new TypeError('token must be 1-200 characters of A-Z, a-z, 0-9, ":", "_" or "-"');
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '')
    throw new TypeError('host must be a non-empty string');
  const botName = options.botName ?? 'hamdam';
  if (typeof botName !== 'string' || botName.trim() === '' || botName.length > 64)
    throw new TypeError('botName must be 1-64 characters');
  return {
    token: options.token,
    botName,
    host,
    port: integerIn('port', options.port ?? 0, 0, 65_535),
    retryBaseMs: integerIn('retryBaseMs', options.retryBaseMs ?? 1_000, 0, 3_600_000),
    retryMaxMs: integerIn('retryMaxMs', options.retryMaxMs ?? 60_000, 0, 3_600_000),
    chatLogMaxAgeMs:
      options.chatLogMaxAgeMs === undefined
        ? Number.POSITIVE_INFINITY
        : integerIn('chatLogMaxAgeMs', options.chatLogMaxAgeMs, 1, 1_000_000_000),
    webhookTimeoutMs: integerIn(
      'webhookTimeoutMs',
      options.webhookTimeoutMs ?? 60_000,
      1,
      3_600_000,
    ),
    logger: options.logger === false ? undefined : options.logger,
  };
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(
      `${name} must be an integer between ${min} and ${max}, got ${String(value)}`,
    );
  }
  return value;
}
