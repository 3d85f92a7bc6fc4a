import { isIP } from 'node:net';
import { parseArgs } from 'node:util';

export interface CliArgs {
  readonly port: number;
  readonly host: string;
  readonly token: string;
  readonly help: boolean;
}

export const USAGE = `Usage: node apps/emulator/dist/cli.js --token <bot token> [--port 8081] [--host 127.0.0.1]

  --token  the only bot token the emulator accepts (required), e.g. 123456:TEST
  --port   TCP port, 0-65535 (default 8081; 0 picks a free port)
  --host   interface to bind (default 127.0.0.1)
  --help   show this help`;

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
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const help = values.help === true;
  if (help) return { port: 8081, host: '127.0.0.1', token: '', help };
  const port = values.port ?? '8081';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
    throw new CliUsageError(`--port must be an integer between 0 and 65535, got "${port}"`);
  }
  const host = values.host ?? '127.0.0.1';
  if (isIP(host) === 0 && !HOSTNAME.test(host))
    throw new CliUsageError(`--host must be an IP address or hostname, got "${host}"`);
  const token = values.token;
  if (token === undefined) throw new CliUsageError('--token is required');
  if (!TOKEN.test(token)) {
    throw new CliUsageError('--token must be 1-200 characters of A-Z, a-z, 0-9, ":", "_" or "-"');
  }
  return { port: Number(port), host, token, help };
}
