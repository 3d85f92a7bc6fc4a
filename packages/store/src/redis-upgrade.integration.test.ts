import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endedChats, finder, msg, readJournal, text } from './contracts/kit.js';
import { onScratchRedis } from './testing/scratch-redis.js';

// Upgrades of the library on a keyspace an earlier version wrote, on the real Redis.

test('a Find after an upgrade from version 1 meets whoever waited before it', () =>
  onScratchRedis({}, async ({ store, admin, prefix }) => {
    const find = finder(store);
    assert.equal((await find(1)).kind, 'queued');
    // What version 1 left: the waiting user and the range index, without the index of buckets
    // (qb). The library is loaded again, as a deploy does.
    assert.equal(await admin.del(`${prefix}qb`), 1);
    await admin.function('DELETE', 'hamdam');
    const two = await find(2);
    assert.equal(two.kind, 'matched');
    assert.equal(two.kind === 'matched' && two.partner, 1);
    assert.equal(await admin.sismember(`${prefix}qb`, ''), 1, 'the index is marked built');
  }));

test('a chat begun before version 3 records the messages of both versions', () =>
  onScratchRedis({ paired: true }, async ({ store, admin, prefix }) => {
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
  }));

test("a user's gate hash from before version 6 is moved into their own by their next update", () =>
  onScratchRedis({ paired: true }, async (s) => {
    const { store, admin, prefix } = s;
    const first = text(1);
    assert.equal((await store.pairing.relay(first)).kind, 'relayed');
    // What version 5 kept in g:1: the queues' marks, the flood bucket (no token left), the count.
    const user = `${prefix}u:1`;
    const fields = ['m', 'c', 'fl', 'ix', 'n'];
    const kept = await admin.hmget(user, ...fields);
    const old: Record<string, string> = {};
    fields.forEach((f, i) => {
      const value = kept[i];
      if (value !== null && value !== undefined) old[f] = value;
    });
    old['fl'] = `=${Date.now() + 600_000}:0:0:1:`;
    await admin.hset(`${prefix}g:1`, old);
    await admin.hdel(user, ...fields);
    // The update redelivered is still seen; the empty bucket still stops the next one.
    assert.equal((await store.pairing.relay(first)).kind, 'duplicate');
    assert.equal((await store.pairing.relay(text(1))).kind, 'flooded');
    assert.equal(await admin.exists(`${prefix}g:1`), 0, 'the old hash is gone');
    assert.equal(await admin.hget(user, 'n'), old['n'], 'the count moved with it');
  }));
