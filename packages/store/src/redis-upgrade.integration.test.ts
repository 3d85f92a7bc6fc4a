import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { endedChats, finder, msg, onboard, readJournal, text } from './contracts/kit.js';
import { openRedisStateStore } from './open-state-store.js';

// Upgrades of the library on a keyspace an earlier version wrote, on the real Redis (override
// with TEST_REDIS_URL). Each test has its own prefix and removes its keys.
const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

test('a Find after an upgrade from version 1 meets whoever waited before it', async () => {
  const prefix = `test:${randomBytes(6).toString('hex')}:{h}:`;
  const admin = new Redis(url);
  const store = openRedisStateStore(new Redis(url), { prefix });
  try {
    const find = finder(store);
    await onboard(store, 1, { gender: 'f' });
    await onboard(store, 2, { gender: 'm' });
    assert.equal((await find(1)).kind, 'queued');
    // What version 1 left: the waiting user and the range index, without the index of buckets
    // (qb). The library is loaded again, as a deploy does.
    assert.equal(await admin.del(`${prefix}qb`), 1);
    await admin.function('DELETE', 'hamdam');
    const two = await find(2);
    assert.equal(two.kind, 'matched');
    assert.equal(two.kind === 'matched' && two.partner, 1);
    assert.equal(await admin.sismember(`${prefix}qb`, ''), 1, 'the index is marked built');
  } finally {
    const keys = await admin.keys(`${prefix.replace(/[{}]/g, '\\$&')}*`);
    if (keys.length > 0) await admin.del(...keys);
    await store.close();
    await admin.quit();
  }
});

test('a chat begun before version 3 records the messages of both versions', async () => {
  const prefix = `test:${randomBytes(6).toString('hex')}:{h}:`;
  const admin = new Redis(url);
  const store = openRedisStateStore(new Redis(url), { prefix });
  try {
    const find = finder(store);
    await onboard(store, 1, { gender: 'f' });
    await onboard(store, 2, { gender: 'm' });
    await find(1);
    await find(2);
    await readJournal(store);
    // What version 2 left: a chat counting its messages in the users' own field (sent), no
    // count in the gate hash, nor the count a chat began with.
    await admin.hset(`${prefix}u:1`, 'sent', '3');
    await admin.hset(`${prefix}u:2`, 'sent', '1');
    await admin.hdel(`${prefix}u:1`, 'sent0');
    await admin.hdel(`${prefix}u:2`, 'sent0');
    await store.pairing.relay(text(1));
    await store.pairing.relay(text(2));
    await store.pairing.relay(text(1));
    await store.pairing.stop({ chatId: 1, stamp: msg() });
    const [ended] = endedChats(await readJournal(store));
    assert.deepEqual([ended?.a, ended?.messagesA, ended?.messagesB], [1, 5, 2]);
  } finally {
    const keys = await admin.keys(`${prefix.replace(/[{}]/g, '\\$&')}*`);
    if (keys.length > 0) await admin.del(...keys);
    await store.close();
    await admin.quit();
  }
});
