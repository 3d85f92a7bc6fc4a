import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNPACED, drain, text } from './contracts/kit.js';
import { onScratchRedis } from './testing/scratch-redis.js';

// The map of where copies landed (mm:<a>:<b>, for replies and edits) lives as long as its chat,
// on the real Redis.
test("the map of where copies landed goes with its chat, and a late copy's settle leaves none", () =>
  onScratchRedis({ limits: UNPACED, paired: true }, async ({ store, admin, prefix }) => {
    const map = `${prefix}mm:1:2`;
    await drain(store);
    const first = text(1);
    await store.pairing.relay(first);
    await drain(store);
    assert.deepEqual(await admin.hgetall(map), {
      [`1:${first.messageId}`]: `2:${10_000 + first.messageId}`,
      [`2:${10_000 + first.messageId}`]: `1:${first.messageId}`,
    });
    // A copy taken by a sender when the chat ends is settled after the end.
    const late = text(1);
    await store.pairing.relay(late);
    const [taken] = await store.outbox.claim(10, 5_000);
    assert.ok(taken);
    assert.equal(taken.chatId, 2);
    await store.pairing.stop({ chatId: 2, stamp: { queue: 'm', updateId: 9_000_000 } });
    assert.equal(await admin.exists(map), 0, 'the map went with the chat');
    await store.outbox.settle(
      [
        {
          chatId: 2,
          entryId: taken.entryId,
          copies: { from: 1, pairs: [[late.messageId, 10_000 + late.messageId]] },
        },
      ],
      0,
      5_000,
    );
    assert.equal(await admin.exists(map), 0, 'a copy settled after the end writes no map');
  }));
