import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { finder, onboard } from '../contracts/kit.js';
import { openRedisStateStore } from '../open-state-store.js';
import type { StateStore, StoreLimits } from '../state-store.js';

/** The real Redis of the tests (override with TEST_REDIS_URL). */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * The redis-server arguments of a test's own server: everything it writes in `dir`, and
 * nothing kept on disk (a server stopped with Redis's default save points would write a
 * dump.rdb into the directory the tests run from, which the next server started there loads).
 */
export const scratchServerArgs = (dir: string): string[] => [
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
];

/** What a test on a scratch keyspace gets: the store, a plain client and the prefix. */
export interface Scratch {
  readonly store: StateStore;
  readonly admin: Redis;
  readonly prefix: string;
}

/**
 * Runs `body` on a store with a prefix of its own on the real Redis, users 1 (f) and 2 (m)
 * onboarded; with `paired`, 1 waits and 2 finds them. Every key under the prefix is removed
 * afterwards.
 */
export async function onScratchRedis(
  options: { readonly limits?: Partial<StoreLimits>; readonly paired?: boolean },
  body: (scratch: Scratch) => Promise<void>,
): Promise<void> {
  const prefix = `test:${randomBytes(6).toString('hex')}:{h}:`;
  const admin = new Redis(TEST_REDIS_URL);
  const store = openRedisStateStore(new Redis(TEST_REDIS_URL), {
    prefix,
    limits: options.limits ?? {},
  });
  try {
    await onboard(store, 1, { gender: 'f' });
    await onboard(store, 2, { gender: 'm' });
    if (options.paired) {
      const find = finder(store);
      await find(1);
      await find(2);
    }
    await body({ store, admin, prefix });
  } finally {
    const keys = await admin.keys(`${prefix.replace(/[{}]/g, '\\$&')}*`);
    if (keys.length > 0) await admin.del(...keys);
    await store.close();
    await admin.quit();
  }
}
