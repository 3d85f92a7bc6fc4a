import { adaptScript, clockArgument, createEmbeddedRedis } from './embedded/embedded-redis.js';
import { EmbeddedJournal } from './embedded/embedded-journal.js';
import { RedisJournal } from './redis/redis-journal.js';
import { RedisOutbox } from './redis/redis-outbox.js';
import { RedisPairing } from './redis/redis-pairing.js';
import { ScriptRunner, type RedisClient } from './redis/script-runner.js';
import { DEFAULT_STORE_LIMITS, type StateStore, type StoreLimits } from './state-store.js';

export interface StateStoreOptions {
  /** Key prefix with exactly one hash tag, e.g. `hamdam:{h}:`. */
  readonly prefix: string;
  readonly limits?: Partial<StoreLimits>;
  /** How many heads of each candidate bucket matchmaking looks at. */
  readonly scanDepth?: number;
  /** A journal entry a reader took and did not acknowledge for this long goes to another. */
  readonly journalClaimIdleMs?: number;
}

/** The state store on a Redis server or Cluster; closing it closes the client. */
export function openRedisStateStore(client: RedisClient, options: StateStoreOptions): StateStore {
  const runner = new ScriptRunner(client, { prefix: options.prefix });
  return assemble(
    runner,
    options,
    new RedisJournal(runner, { claimIdleMs: options.journalClaimIdleMs ?? 30_000 }),
  );
}

/** The same store on the embedded in-memory engine: one process, nothing on disk. */
export function openEmbeddedStateStore(options: Partial<StateStoreOptions> = {}): StateStore {
  const runner = new ScriptRunner(createEmbeddedRedis(), {
    prefix: options.prefix ?? 'hamdam:{h}:',
    adapt: adaptScript,
    trailingArgument: clockArgument,
  });
  return assemble(runner, options, new EmbeddedJournal(runner));
}

function assemble(
  runner: ScriptRunner,
  options: Partial<StateStoreOptions>,
  journal: StateStore['journal'],
): StateStore {
  const limits = { ...DEFAULT_STORE_LIMITS, ...options.limits };
  return {
    pairing: new RedisPairing(runner, {
      recentPartnerMs: limits.recentPartnerMs,
      scanDepth: options.scanDepth ?? 8,
    }),
    outbox: new RedisOutbox(runner, limits),
    journal,
    ping: async () => {
      await runner.call(() => runner.client.ping());
    },
    close: () => runner.close(),
  };
}
