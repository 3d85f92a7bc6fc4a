import { isIP } from 'node:net';
import { parseArgs } from 'node:util';

export interface CliArgs {
  readonly port: number;
  readonly host: string;
  readonly token: string;
  readonly help: boolean;
  /** The bot's name in getMe and the playground; absent means the emulator's default. */
  readonly botName?: string;
  /** Webhook retry backoff, ms; absent means the emulator's defaults (Telegram's pace). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Age past which a chat's messages are forgotten; absent means never. */
  readonly chatLogMaxAgeMs?: number;
}

export const USAGE = `Usage: node apps/emulator/dist/cli.js --token <bot token> [--port 8081] [--host 127.0.0.1]

  --token           the only bot token the emulator accepts (required), e.g. 123456:TEST
  --port            TCP port, 0-65535 (default 8081; 0 picks a free port)
  --host            interface to bind (default 127.0.0.1)
  --bot-name        the bot's name in getMe and the playground (default hamdam)
  --retry-base-ms   first webhook retry delay, doubling per attempt (default 1000)
  --retry-max-ms    cap of the webhook retry delay (default 60000)
  --chat-log-max-age-ms  forget a chat's messages older than this (default: never)
  --help            show this help`;

const TOKEN = /^[A-Za-z0-9:_-]{1,200}$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** Parses and validates CLI flags; throws CliUsageError with a readable message. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        'bot-name': { type: 'string' },
        'retry-base-ms': { type: 'string' },
        'retry-max-ms': { type: 'string' },
        'chat-log-max-age-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const help = values.help === true;
  if (help) return { port: 8081, host: '127.0.0.1', token: '', help };
  const port = integerFlag('port', values.port ?? '8081', 0, 65_535);
  const host = values.host ?? '127.0.0.1';
  if (isIP(host) === 0 && !HOSTNAME.test(host))
    throw new CliUsageError(`--host must be an IP address or hostname, got "${host}"`);
  const token = values.token;
  if (token === undefined) throw new CliUsageError('--token is required');
  if (!TOKEN.test(token)) {
    throw new CliUsageError('--token must be 1-200 characters of A-Z, a-z, 0-9, ":", "_" or "-"');
  }
  const botName = values['bot-name'];
  if (botName !== undefined && (botName.trim() === '' || botName.length > 64))
    throw new CliUsageError('--bot-name must be 1-64 characters');
  const optional = (name: string, raw: string | undefined, min: number, max: number) =>
    raw === undefined ? {} : { [camel(name)]: integerFlag(name, raw, min, max) };
  return {
    port,
    host,
    token,
    help,
    ...(botName === undefined ? {} : { botName }),
    ...optional('retry-base-ms', values['retry-base-ms'], 0, 3_600_000),
    ...optional('retry-max-ms', values['retry-max-ms'], 0, 3_600_000),
    ...optional('chat-log-max-age-ms', values['chat-log-max-age-ms'], 1, 1_000_000_000),
  };
}

function integerFlag(name: string, raw: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new CliUsageError(`--${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
