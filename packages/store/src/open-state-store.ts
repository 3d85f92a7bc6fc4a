import { createEmbeddedRedis, embeddedEngine } from './embedded/embedded-redis.js';
import { EmbeddedJournal } from './embedded/embedded-journal.js';
import { RedisBroadcasts } from './redis/redis-broadcasts.js';
import { RedisJournal } from './redis/redis-journal.js';
import { RedisModeration } from './redis/redis-moderation.js';
import { RedisOutbox } from './redis/redis-outbox.js';
import { RedisPairing } from './redis/redis-pairing.js';
import { RedisProfiles } from './redis/redis-profiles.js';
import { RedisUpkeep } from './redis/redis-upkeep.js';
import { LuaRunner, type RedisClient } from './redis/lua-runner.js';
import { redisEngine } from './redis/redis-engine.js';
import { DEFAULT_STORE_LIMITS, type StateStore, type StoreLimits } from './state-store.js';

export interface StateStoreOptions {
  /** Key prefix with exactly one hash tag, e.g. `hamdam:{h}:`. */
  readonly prefix: string;
  readonly limits?: Partial<StoreLimits>;
  /** A journal entry a reader took and did not acknowledge for this long goes to another. */
  readonly journalClaimIdleMs?: number;
  /** Told the round trip of every step and read, in seconds (for a latency histogram). */
  readonly observe?: (seconds: number) => void;
}

/** The state store on a Redis server or Cluster; closing it closes the client. */
export function openRedisStateStore(client: RedisClient, options: StateStoreOptions): StateStore {
  const runner = new LuaRunner(client, redisEngine(client), {
    prefix: options.prefix,
    limits: { ...DEFAULT_STORE_LIMITS, ...options.limits },
    ...(options.observe ? { observe: options.observe } : {}),
  });
  return assemble(
    runner,
    new RedisJournal(runner, { claimIdleMs: options.journalClaimIdleMs ?? 30_000 }),
  );
}

/** The same store on the embedded in-memory engine: one process, nothing on disk. */
export function openEmbeddedStateStore(options: Partial<StateStoreOptions> = {}): StateStore {
  const client = createEmbeddedRedis();
  const runner = new LuaRunner(client, embeddedEngine(client), {
    prefix: options.prefix ?? 'hamdam:{h}:',
    limits: { ...DEFAULT_STORE_LIMITS, ...options.limits },
    ...(options.observe ? { observe: options.observe } : {}),
  });
  return assemble(runner, new EmbeddedJournal(runner));
}

function assemble(runner: LuaRunner, journal: StateStore['journal']): StateStore {
  return {
    pairing: new RedisPairing(runner),
    profiles: new RedisProfiles(runner),
    moderation: new RedisModeration(runner),
    outbox: new RedisOutbox(runner),
    journal,
    upkeep: new RedisUpkeep(runner),
    broadcasts: new RedisBroadcasts(runner),
    ping: async () => {
      await runner.command(() => runner.client.ping());
      await runner.ready();
    },
    close: () => runner.close(),
  };
}
