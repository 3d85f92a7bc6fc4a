import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { msg, onboard } from './contracts/kit.js';
import { openRedisStateStore } from './open-state-store.js';
import type { StateStore } from './state-store.js';

// What only the Redis journal promises: several workers read it as one consumer group, so each
// record goes to one of them, and what a dead worker took goes to another.
const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `test:${randomBytes(6).toString('hex')}:{h}:`;
const open = (claimIdleMs: number) =>
  openRedisStateStore(new Redis(url), { prefix, journalClaimIdleMs: claimIdleMs });

/** Three pairs chat and stop: six starts, six profiles and three finished chats, 15 records. */
async function makeRecords(store: StateStore): Promise<number> {
  for (let i = 0; i < 3; i++) {
    const a = 1000 + 2 * i;
    for (const u of [a, a + 1]) {
      await onboard(store, u);
      await store.pairing.find({ chatId: u, stamp: msg(), next: false, langHint: 'en' });
    }
    await store.pairing.stop({ chatId: a, stamp: msg() });
  }
  return 15;
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

  it('hands each record to one reader, and an abandoned one to another after the idle time', async () => {
    const one = open(200);
    const two = open(200);
    stores.push(one, two);
    const total = await makeRecords(one);
    const [a, b] = await Promise.all([one.journal.read('w1', 8), two.journal.read('w2', 8)]);
    assert.equal(a.length + b.length, total);
    const ids = [...a, ...b].map((e) => e.id);
    assert.equal(new Set(ids).size, total, 'no record went to both readers');
    // w1 acknowledges its records; w2 "dies" holding its own.
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
    assert.deepEqual(await two.journal.read('w2', 10), [], 'acknowledged records are gone');
  });
});
