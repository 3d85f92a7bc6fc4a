import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { BotApi } from '@hamdam/telegram';
import { renderNginx } from '../nginx-config.js';
import { dropRedisPrefix, scratchDatabase, TEST_REDIS_URL } from './stack.js';

export const EMULATED_TOKEN = '1000000000:emulated-bot-token-0000000000';

export interface TopologyOptions {
  readonly workers: number;
  /** Extra environment for the workers (e.g. SEND_LEASE_MS, LOG_LEVEL). */
  readonly env?: Readonly<Record<string, string>>;
  /** Emulator options for webhook retries; Telegram's own are much slower. */
  readonly retryBaseMs?: number;
  readonly maxConnections?: number;
  /** Keep the workers' logs on this process's stderr (default: silent). */
  readonly logLevel?: string;
  /** Use this Postgres URL instead of a scratch database. */
  readonly databaseUrl?: string;
  /** Make the scratch database on this server instead of the shared test Postgres. */
  readonly databaseServerUrl?: string;
  /** Use this Redis instead of the shared test Redis (a fresh prefix either way). */
  readonly redisUrl?: string;
  /**
   * Node flags for the supervisor, which its workers inherit, and for the emulator (e.g.
   * `--cpu-prof`, `--cpu-prof-dir=…`; Node refuses those in NODE_OPTIONS).
   */
  readonly nodeArgs?: readonly string[];
  /** Age past which the emulator forgets a chat's messages (default: never); see ChatLog. */
  readonly emulatorChatLogMaxAgeMs?: number;
  /** Start an empty-handler upstream instead of the bot (the machine's ceiling). */
  readonly emptyHandler?: boolean;
  /** Serve nginx's stub_status on this loopback port (for the nginx exporter). */
  readonly nginxStatusPort?: number;
  /** How nginx reaches the workers: their ports (default) or their Unix sockets (HTTP_SOCKET_DIR). */
  readonly upstream?: 'tcp' | 'unix';
}

export interface Topology {
  /** The Bot API emulator, a process of its own as Telegram is; reached only over HTTP. */
  readonly emulatorUrl: string;
  readonly emulatorPid: number;
  /** nginx's loopback listener, e.g. http://127.0.0.1:41234 */
  readonly nginxUrl: string;
  readonly webhookPath: string;
  readonly secret: string;
  readonly firstPort: number;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** The `npm start` supervisor process (or the empty-handler process). */
  readonly supervisor: ChildProcess;
  workerUrl(index: number): string;
  /** Pids of the worker processes, read from each worker's /healthz. */
  workerPid(index: number): Promise<number>;
  /** Resolves once every worker answers /healthz (e.g. after the supervisor restarted them). */
  waitForWorkers(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The production shape on loopback: the emulator (its own process) delivers to nginx, nginx
 * spreads over WORKERS workers run by the real supervisor (`apps/bot/dist/main.js`), which share
 * the real Redis (a fresh key prefix) and a scratch Postgres database. A caller such as the load
 * generator therefore shares a heap with none of them. Everything is torn down by close().
 */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const { process: emulator, url: emulatorUrl } = await startEmulatorProcess(options);
  const database = options.databaseUrl ? null : await scratchDatabase(options.databaseServerUrl);
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const redisPrefix = `test:${randomBytes(5).toString('hex')}:{h}:`;
  const firstPort = await freePortRange(options.workers);
  const nginxPort = await freePortRange(1);
  const secret = randomBytes(18).toString('base64url');
  const webhookPath = '/telegram/webhook';

  const prefix = mkdtempSync(join(tmpdir(), 'hamdam-nginx-'));
  const socketDir = options.upstream === 'unix' ? join(prefix, 'workers') : null;
  if (socketDir) {
    mkdirSync(socketDir);
    // nginx's workers run as an unprivileged user when nginx starts as root: they must reach
    // the sockets (mkdtemp makes its directory 0700).
    chmodSync(prefix, 0o755);
  }
  const env: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    BOT_API_ROOT: emulatorUrl,
    WEBHOOK_SECRET: secret,
    WEBHOOK_PATH: webhookPath,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    DATABASE_URL: options.databaseUrl ?? database!.url,
    WORKERS: String(options.workers),
    PG_POOL_BUDGET: String(Math.max(options.workers, 8)),
    PORT: String(firstPort),
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...(socketDir ? { HTTP_SOCKET_DIR: socketDir } : {}),
    ...options.env,
  };
  const entry = options.emptyHandler
    ? join(root, 'apps/bot/dist/testing/empty-handler.js')
    : join(root, 'apps/bot/dist/main.js');
  const supervisor = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The tails of the workers' logs (stdout) and of stderr (shown when the test asks for logs)
  // explain workers that do not start.
  const supervisorTail = keepTail(supervisor.stdout, null);
  const supervisorErrTail = keepTail(supervisor.stderr, options.logLevel ? process.stderr : null);

  mkdirSync(join(prefix, 'temp'));
  const includes: string[] = [];
  if (options.nginxStatusPort !== undefined) {
    // infra/nginx/status.conf, on a port of the test's own.
    writeFileSync(
      join(prefix, 'status.conf'),
      `server {\n  listen 127.0.0.1:${options.nginxStatusPort};\n  location = /stub_status { stub_status; }\n}\n`,
    );
    includes.push(join(prefix, 'status.conf'));
  }
  writeFileSync(
    join(prefix, 'nginx.conf'),
    renderNginx({
      includes,
      workers: options.workers,
      firstPort,
      upstreamHost: '127.0.0.1',
      upstreamSocketDir: socketDir,
      webhookPath,
      bodyLimitBytes: 262_144,
      tls: null,
      loopback: { address: `127.0.0.1:${nginxPort}` },
      pidFile: join(prefix, 'nginx.pid'),
      tempDir: join(prefix, 'temp'),
    }),
  );
  const nginx = spawn(
    'nginx',
    ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // nginx's warnings (an upstream refused while a fault test kills a worker) follow the
  // workers' logs; the tail is kept to explain an nginx that does not start.
  const nginxTail = keepTail(nginx.stderr, options.logLevel ? process.stderr : null);
  const nginxUrl = `http://127.0.0.1:${nginxPort}`;
  const workerUrl = (i: number) => `http://127.0.0.1:${firstPort + i}`;

  const close = async () => {
    await stop(supervisor, 'SIGTERM', 30_000);
    await stop(nginx, 'SIGQUIT', 5_000);
    await stop(emulator, 'SIGTERM', 5_000);
    await database?.drop().catch(() => undefined);
    // A Redis a fault test stopped has nothing left to drop.
    await dropRedisPrefix(redisPrefix, redisUrl).catch(() => undefined);
    rmSync(prefix, { recursive: true, force: true });
  };

  const waitForWorkers = (timeoutMs = 60_000) =>
    waitUntil(
      async () => {
        for (let i = 0; i < options.workers; i++)
          if (!(await ok(`${workerUrl(i)}/healthz`))) return false;
        return true;
      },
      timeoutMs,
      'workers did not start',
    );

  try {
    // A supervisor that exits (a bad setting) ends the wait at once.
    const exited = once(supervisor, 'exit').then(([code]) => {
      throw new Error(`workers did not start: the supervisor exited with ${String(code)}`);
    });
    exited.catch(() => undefined);
    await Promise.race([waitForWorkers(), exited]).catch((err: Error) => {
      const printed = `${supervisorErrTail()}${supervisorTail()}`.trim();
      throw new Error(`${err.message}: ${printed || 'nothing printed'}`);
    });
    await waitUntil(
      async () => (await fetch(`${nginxUrl}/`).catch(() => null))?.status === 404,
      10_000,
      'nginx did not start',
    ).catch((err: Error) => {
      throw new Error(`${err.message}: ${nginxTail().trim() || 'it printed nothing'}`);
    });
    const api = new BotApi({ token: EMULATED_TOKEN, apiRoot: emulatorUrl });
    await api.setWebhook({
      url: `${nginxUrl}${webhookPath}`,
      secret_token: secret,
      max_connections: options.maxConnections ?? 40,
    });
    await api.close();
  } catch (err) {
    await close();
    throw err;
  }

  return {
    emulatorUrl,
    emulatorPid: emulator.pid ?? 0,
    nginxUrl,
    webhookPath,
    secret,
    firstPort,
    redisUrl,
    redisPrefix,
    supervisor,
    workerUrl,
    async workerPid(index) {
      const response = await fetch(`${workerUrl(index)}/healthz`);
      return ((await response.json()) as { pid: number }).pid;
    },
    waitForWorkers,
    close,
  };
}

/** Runs `apps/emulator/dist/cli.js` on a free port and reads its address from its first line. */
async function startEmulatorProcess(
  options: TopologyOptions,
): Promise<{ process: ChildProcess; url: string }> {
  const args = [
    ...(options.nodeArgs ?? []),
    join(root, 'apps/emulator/dist/cli.js'),
    '--token',
    EMULATED_TOKEN,
    '--port',
    '0',
    '--retry-base-ms',
    String(options.retryBaseMs ?? 50),
    '--retry-max-ms',
    '1000',
    ...(options.emulatorChatLogMaxAgeMs === undefined
      ? []
      : ['--chat-log-max-age-ms', String(options.emulatorChatLogMaxAgeMs)]),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error('the emulator did not start')), 30_000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        seen += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited with ${String(code)}`));
      });
    });
    // Keep reading so a chatty emulator never blocks on a full pipe.
    child.stdout.resume();
    return { process: child, url };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function ok(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Reads a child's output to the end, echoing it to `echo` if given; returns its last 2,000 characters. */
function keepTail(stream: Readable | null, echo: Writable | null): () => string {
  let tail = '';
  stream?.on('data', (chunk: Buffer) => {
    echo?.write(chunk);
    tail = (tail + chunk.toString()).slice(-2_000);
  });
  return () => tail;
}

/**
 * A run of `count` consecutive free ports on loopback, below Linux's ephemeral range (32768 and
 * up by default), so the outgoing connections of tests running alongside cannot take a port
 * between the check and the listen.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 20_000 + Math.floor(Math.random() * (12_000 - count));
    let free = true;
    for (let p = start; p < start + count && free; p++) free = await portFree(p);
    if (free) return start;
  }
  throw new Error('no free port range');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
