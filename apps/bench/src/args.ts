import { parseArgs } from 'node:util';

export interface CliArgs {
  readonly users: number;
  readonly runs: number;
  readonly redisUrl: string;
  /** Null: the default file under loadtest/reports/ (not in git). */
  readonly out: string | null;
  readonly help: boolean;
}

export const USAGE = `usage: node apps/bench/dist/matchmaking-bench.js [options]

  --users N     users in the queue-fill scenario, and size of the standing queue (default 10000)
  --runs N      runs of every scenario; medians are reported (default 5)
  --redis URL   Redis on a loopback address (default redis://127.0.0.1:6379)
  --out PATH    JSON result file; the Markdown summary is written beside it
                (default loadtest/reports/matchmaking-<timestamp>.json)
  --help        show this text`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const LIMITS = { users: [2, 1_000_000], runs: [1, 100] } as const;

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        users: { type: 'string' },
        runs: { type: 'string' },
        redis: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const redisUrl = values.redis ?? 'redis://127.0.0.1:6379';
  assertLoopback(redisUrl);
  return {
    users: integer('users', values.users, 10_000),
    runs: integer('runs', values.runs, 5),
    redisUrl,
    out: values.out ?? null,
    help: values.help ?? false,
  };
}

function integer(name: keyof typeof LIMITS, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const [min, max] = LIMITS[name];
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * The benchmark floods the server with tens of thousands of keys and scripts at full speed;
 * pointed at a shared or production Redis by mistake it would hurt, so only loopback is taken.
 */
function assertLoopback(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--redis is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'redis:') throw new UsageError('--redis must be a redis:// URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  if (!loopback) throw new UsageError(`--redis must point at a loopback address, got "${host}"`);
}
