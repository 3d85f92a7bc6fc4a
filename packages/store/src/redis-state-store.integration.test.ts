import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { stateStoreContract } from './contracts/state-store.contract.js';
import { openRedisStateStore } from './open-state-store.js';

// The real Redis on loopback (override with TEST_REDIS_URL). Each store gets its own prefix,
// and every key written is removed at the end.
const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefixes: string[] = [];

stateStoreContract('Redis', async (limits) => {
  const prefix = `test:${randomBytes(6).toString('hex')}:{h}:`;
  prefixes.push(prefix);
  return openRedisStateStore(new Redis(url), { prefix, limits: limits ?? {} });
});

after(async () => {
  const redis = new Redis(url);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix.replace(/[{}]/g, '\\$&')}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});
