import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drain, freshStore, msg, sleep, type StoreFactory } from './kit.js';

/** The outbox: order, leases, settling, deferral, pacing and the global budget. */
export function outboxContract(name: string, factory: StoreFactory): void {
  describe(`Outbox contract: ${name}`, () => {
    const store = freshStore(factory);

    it('commits several replies of one update together, in order', async () => {
      assert.equal(
        await store.outbox.say({
          chatId: 3,
          stamp: msg(),
          payload: ['@welcome', '@help', '@searching'],
        }),
        'said',
      );
      assert.deepEqual((await drain(store)).get(3), ['@welcome', '@help', '@searching']);
    });

    it('hands each chat to one sender at a time, in order, and again after the lease', async () => {
      await store.outbox.say({ chatId: 9, stamp: null, payload: '@welcome' });
      await store.outbox.say({ chatId: 9, stamp: null, payload: '@help' });
      const [first, ...rest] = await store.outbox.claim(10, 80);
      assert.deepEqual(rest, []);
      assert.equal(first!.payload, '@welcome');
      assert.deepEqual(
        await store.outbox.claim(10, 80),
        [],
        'leased: nobody else may send to chat 9',
      );
      await sleep(120);
      const again = await store.outbox.claim(10, 80);
      assert.equal(
        again.length,
        1,
        'a crashed sender’s lease runs out and the entry is sent again',
      );
      assert.equal(again[0]!.entryId, first!.entryId);
      await store.outbox.ack(9, first!.entryId);
      await store.outbox.ack(9, first!.entryId); // a late duplicate ack changes nothing
      const second = await store.outbox.claim(10, 80);
      assert.equal(second[0]!.payload, '@help');
      await store.outbox.ack(9, second[0]!.entryId);
      assert.equal(await store.outbox.pending(9), 0);
      assert.equal(await store.outbox.nextDue(), null);
    });

    it('settles delivered heads and claims the next in one step, saying when more is due', async () => {
      await store.outbox.say({ chatId: 7, stamp: null, payload: ['@welcome', '@help'] });
      await store.outbox.say({ chatId: 8, stamp: null, payload: '@searching' });
      const first = await store.outbox.settle([], 10, 5_000);
      assert.deepEqual(first.claimed.map((c) => c.payload).sort(), ['@searching', '@welcome']);
      assert.ok(
        first.nextDue !== null && first.nextDue > Date.now() + 4_000,
        'only leased chats remain',
      );
      const second = await store.outbox.settle(
        first.claimed.map(({ chatId, entryId }) => ({ chatId, entryId })),
        10,
        5_000,
      );
      assert.deepEqual(
        second.claimed.map((c) => c.payload),
        ['@help'],
      );
      const third = await store.outbox.settle(
        second.claimed.map(({ chatId, entryId }) => ({ chatId, entryId })),
        10,
        5_000,
      );
      assert.deepEqual(third, { claimed: [], nextDue: null });
      assert.equal(await store.outbox.pending(7), 0);
      assert.equal(await store.outbox.pending(8), 0);
    });

    it('defers a chat until the time given (retry_after)', async () => {
      await store.outbox.say({ chatId: 9, stamp: null, payload: '@welcome' });
      const [c] = await store.outbox.claim(10, 5_000);
      // Far enough ahead that a slow, busy machine still claims before it is due.
      const due = Date.now() + 1_000;
      await store.outbox.defer(9, c!.entryId, due);
      assert.deepEqual(await store.outbox.claim(10, 5_000), []);
      const next = await store.outbox.nextDue();
      assert.ok(next !== null && Math.abs(next - due) <= 1);
      await sleep(due - Date.now() + 50);
      assert.equal((await store.outbox.claim(10, 5_000))[0]!.entryId, c!.entryId);
    });
  });

  describe(`Outbox pacing: ${name}`, () => {
    it('sends a burst to one chat, then paces it', async () => {
      const store = await factory({ chatRatePerSec: 10, chatBurst: 2 });
      try {
        for (const p of ['@welcome', '@help', '@searching'] as const)
          await store.outbox.say({ chatId: 4, stamp: null, payload: p });
        const sent: string[] = [];
        const started = Date.now();
        while (sent.length < 3 && Date.now() - started < 2_000) {
          const [c] = await store.outbox.claim(10, 5_000);
          if (!c) {
            await sleep(10);
            continue;
          }
          sent.push(typeof c.payload === 'string' ? c.payload : 'a call');
          await store.outbox.ack(c.chatId, c.entryId);
        }
        assert.deepEqual(sent, ['@welcome', '@help', '@searching']);
        assert.ok(Date.now() - started >= 60, 'the third waited for a token');
      } finally {
        await store.close();
      }
    });

    it('keeps within the global budget across chats', async () => {
      const store = await factory({
        chatRatePerSec: 1000,
        chatBurst: 1000,
        globalRatePerSec: 5,
        globalBurst: 3,
      });
      try {
        for (let chat = 1; chat <= 6; chat++)
          await store.outbox.say({ chatId: chat, stamp: null, payload: '@help' });
        const first = await store.outbox.claim(100, 5_000);
        assert.equal(first.length, 3);
        assert.equal((await store.outbox.claim(100, 5_000)).length, 0);
      } finally {
        await store.close();
      }
    });
  });
}
