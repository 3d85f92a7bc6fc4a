import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ANY, msg, stored } from './contracts/kit.js';
import { openRedisStateStore } from './open-state-store.js';
import type { StateStore } from './state-store.js';

// What only the Redis journal promises: several workers read it as one consumer group, so each
// finished chat goes to one of them, and what a dead worker took goes to another.
const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `test:${randomBytes(6).toString('hex')}:{h}:`;
const open = (claimIdleMs: number) =>
  openRedisStateStore(new Redis(url), { prefix, journalClaimIdleMs: claimIdleMs });

async function endChats(store: StateStore, pairs: number): Promise<void> {
  const fallback = stored(ANY);
  for (let i = 0; i < pairs; i++) {
    const a = 1000 + 2 * i;
    await store.pairing.find({ chatId: a, stamp: msg(), next: false, fallback });
    await store.pairing.find({ chatId: a + 1, stamp: msg(), next: false, fallback });
    await store.pairing.stop({ chatId: a, stamp: msg() });
  }
}

describe('Redis journal: one consumer group', () => {
  const stores: StateStore[] = [];
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    const redis = new Redis(url);
    const keys = await redis.keys(`${prefix.replace(/[{}]/g, '\\$&')}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('hands each entry to one reader, and an abandoned one to another after the idle time', async () => {
    const one = open(200);
    const two = open(200);
    stores.push(one, two);
    await endChats(one, 6);
    const [a, b] = await Promise.all([one.journal.read('w1', 4), two.journal.read('w2', 4)]);
    assert.equal(a.length + b.length, 6);
    const ids = [...a, ...b].map((e) => e.id);
    assert.equal(new Set(ids).size, 6, 'no entry went to both readers');
    // w1 acknowledges its entries; w2 "dies" holding its own.
    await one.journal.ack(a.map((e) => e.id));
    assert.deepEqual(await one.journal.read('w1', 10), [], 'nothing is handed out twice at once');
    await new Promise((r) => setTimeout(r, 300));
    const reclaimed = await one.journal.read('w1', 10);
    assert.deepEqual(
      reclaimed.map((e) => e.id).sort(),
      b.map((e) => e.id).sort(),
      'what w2 held is claimed by w1 once idle',
    );
    await one.journal.ack(reclaimed.map((e) => e.id));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await two.journal.read('w2', 10), [], 'acknowledged entries are gone');
  });
});
