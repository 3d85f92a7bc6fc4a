import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePortRange, waitUntil } from '@hamdam/bot/testing';

const run = promisify(execFile);

/**
 * A Redis server of the fault suite's own, on a free loopback port, with AOF as production runs
 * it (infra/redis/redis.conf: appendonly, fsync every second), so it can be stopped, killed and
 * started again on the same files without touching the machine's shared Redis.
 */
export class PrivateRedis {
  readonly url: string;
  readonly #dir: string;
  readonly #port: number;
  #process: ChildProcess | null = null;

  private constructor(port: number) {
    this.#port = port;
    this.#dir = mkdtempSync(join(tmpdir(), 'hamdam-faults-redis-'));
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePortRange(1));
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.#port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.#dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory',
        '1gb',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.#process = child;
    await waitUntil(() => this.#answers(), 20_000, 'the private Redis did not start');
  }

  /** SIGTERM (Redis writes its AOF and exits) or SIGKILL (nothing more is written). */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.#process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
    this.#process = null;
  }

  /** Starts it again if a fault left it stopped. */
  async ensureRunning(): Promise<void> {
    if (!this.#process) await this.start();
  }

  async close(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #answers(): Promise<boolean> {
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined); // not answering yet is what this asks
    try {
      await probe.connect();
      // Loading the AOF answers LOADING; ready means it took the whole file.
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }
}

/**
 * A Postgres cluster of the fault suite's own (initdb into a temporary folder, trust on
 * loopback), so it can be stopped for an outage. Run as the `postgres` user when this process
 * is root, as initdb requires.
 */
export class PrivatePostgres {
  readonly #dir: string;
  readonly #port: number;
  readonly #bin: string;
  readonly #asPostgres: string[];
  #running = false;

  private constructor(port: number, bin: string) {
    this.#port = port;
    this.#bin = bin;
    this.#dir = mkdtempSync(join(tmpdir(), 'hamdam-faults-pg-'));
    this.#asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  }

  static async start(): Promise<PrivatePostgres> {
    const server = new PrivatePostgres(await freePortRange(1), postgresBin());
    await server.#init();
    await server.start();
    return server;
  }

  /** The server's maintenance database; `scratchDatabase(url)` makes one per run. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.#port}/postgres`;
  }

  async start(): Promise<void> {
    await this.#pgCtl('-l', join(this.#dir, 'server.log'), '-w', '-t', '30', 'start');
    this.#running = true;
  }

  /** A fast shutdown: sessions are cut, the server is gone until start(). */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#pgCtl('-m', 'fast', '-w', 'stop');
  }

  /** Starts it again if a fault left it stopped. */
  async ensureRunning(): Promise<void> {
    if (!this.#running) await this.start();
  }

  async close(): Promise<void> {
    if (existsSync(join(this.#dir, 'data', 'postmaster.pid')))
      await this.#pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #init(): Promise<void> {
    const data = join(this.#dir, 'data');
    if (this.#asPostgres.length > 0) chownSync(this.#dir, uid('postgres'), gid('postgres'));
    await this.#as(join(this.#bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres');
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [
        `port = ${this.#port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${this.#dir}'`,
        'max_connections = 60',
        'shared_buffers = 64MB',
        // A throwaway cluster: an OS crash is not one of the faults under test.
        'fsync = off',
        '',
      ].join('\n'),
    );
    if (this.#asPostgres.length > 0)
      chownSync(join(data, 'postgresql.auto.conf'), uid('postgres'), gid('postgres'));
  }

  #pgCtl(...args: string[]): Promise<unknown> {
    return this.#as(join(this.#bin, 'pg_ctl'), '-D', join(this.#dir, 'data'), ...args);
  }

  #as(command: string, ...args: string[]): Promise<unknown> {
    const [head, ...rest] = [...this.#asPostgres, command, ...args];
    return run(head!, rest, { cwd: this.#dir });
  }
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!newest) throw new Error('the fault suite needs the Postgres server binaries (postgresql)');
  return join(root, newest, 'bin');
}

const uid = (user: string) => Number(lookUp(user, 2));
const gid = (user: string) => Number(lookUp(user, 3));
function lookUp(user: string, field: number): string {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no user ${user}`);
  return line.split(':')[field]!;
}
