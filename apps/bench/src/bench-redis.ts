import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openRedis, openRedisStateStore, type StateStore } from '@hamdam/store';

/**
 * The benchmark's hold on Redis: a pool of store connections standing in for bot workers,
 * one admin connection for set-up, checks and clean-up, and a key prefix of its own.
 */
export interface BenchRedis {
  /** `bench:<random>:{h}:`, one hash tag like the bot's own prefix. */
  readonly prefix: string;
  readonly admin: Redis;
  readonly stores: readonly StateStore[];
  /** The store of call `index`, round-robin over the pool. */
  storeFor(index: number): StateStore;
  /** Deletes every key under the prefix; returns how many there were. */
  wipe(): Promise<number>;
  close(): Promise<void>;
}

/** Redis's own time spent in scripts, from INFO commandstats. */
export interface ScriptStats {
  readonly calls: number;
  readonly usec: number;
}

const CONNECT_TIMEOUT_MS = 3_000;
/** Far above any healthy answer, so a stalled server fails the run instead of hanging it. */
const COMMAND_TIMEOUT_MS = 15_000;
const WIPE_BATCH = 1_000;
/** SCAN ends when its cursor comes back to 0; this only guards against a server that never does. */
const WIPE_MAX_PASSES = 1_000_000;

export async function openBenchRedis(url: string, connections: number): Promise<BenchRedis> {
  const prefix = `bench:${randomBytes(6).toString('hex')}:{h}:`;
  const clients: Redis[] = [];
  try {
    const admin = await connect(url, clients);
    const stores: StateStore[] = [];
    for (let i = 0; i < connections; i++) {
      stores.push(openRedisStateStore(await connect(url, clients), { prefix }));
    }
    const pattern = `${prefix.replace(/[*?[\]\\{}]/g, '\\$&')}*`;
    return {
      prefix,
      admin,
      stores,
      storeFor: (index) => stores[index % stores.length]!,
      async wipe() {
        let cursor = '0';
        let removed = 0;
        for (let pass = 0; pass < WIPE_MAX_PASSES; pass++) {
          const [nextCursor, keys] = await admin.scan(
            cursor,
            'MATCH',
            pattern,
            'COUNT',
            WIPE_BATCH,
          );
          if (keys.length > 0) removed += await admin.unlink(...keys);
          cursor = nextCursor;
          if (cursor === '0') return removed;
        }
        throw new Error(`SCAN of ${prefix} did not finish`);
      },
      close: () => closeAll(clients),
    };
  } catch (err) {
    await closeAll(clients);
    throw err;
  }
}

export async function redisVersion(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
}

/**
 * Calls and microseconds of FCALL (the store's library functions) and of EVALSHA and EVAL
 * since the server started. The time of the commands a function issues is inside its own. Server-wide: other clients running scripts at the same moment
 * are counted too, which is why this is only reported, never checked.
 */
export async function scriptStats(redis: Redis): Promise<ScriptStats> {
  const info = await redis.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const match of info.matchAll(/^cmdstat_(?:fcall|evalsha|eval):calls=(\d+),usec=(\d+)/gm)) {
    calls += Number(match[1]);
    usec += Number(match[2]);
  }
  return { calls, usec };
}

async function connect(url: string, clients: Redis[]): Promise<Redis> {
  const redis = openRedis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Like the bot's workers: commands issued in the same tick share one write.
    enableAutoPipelining: true,
    // No reconnecting and no retries: a benchmark that lost its server should stop, not wait.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  // Failures surface as rejected commands; the event only needs a listener so that an
  // unhandled 'error' event does not end the process before clean-up. The last one is kept
  // because a refused connection otherwise only reports "Connection is closed".
  let lastError: Error | null = null;
  redis.on('error', (err: Error) => {
    lastError = err;
  });
  clients.push(redis);
  try {
    await redis.connect();
  } catch (err) {
    const reason = lastError ?? err;
    const where = `${redis.options.host ?? '?'}:${redis.options.port ?? '?'}`;
    throw new Error(`cannot reach Redis at ${where}`, { cause: reason });
  }
  return redis;
}

async function closeAll(clients: readonly Redis[]): Promise<void> {
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
}
