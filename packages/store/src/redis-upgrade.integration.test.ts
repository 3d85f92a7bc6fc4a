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
