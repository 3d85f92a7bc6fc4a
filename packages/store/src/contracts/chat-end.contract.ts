import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  drain,
  finder,
  freshStore,
  membership,
  msg,
  onboard,
  sleep,
  text,
  type StoreFactory,
} from './kit.js';

/**
 * What an ended chat still owes: copies not yet taken are dropped at once; a copy a sender had
 * taken is delivered if that attempt succeeds, and dropped if it fails or its sender dies, so
 * no copy ever reaches someone after the bot told them the chat ended.
 */
export function chatEndContract(name: string, factory: StoreFactory): void {
  describe(`Copies of an ended chat: ${name}`, () => {
    const store = freshStore(factory);
    const find = finder(store);
    /** 1 and 2 paired; 1 sent two messages; a sender took the first copy. */
    const takenCopy = async (leaseMs = 5_000) => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await drain(store);
      const first = text(1);
      await store.pairing.relay(first);
      await store.pairing.relay(text(1));
      const [taken] = await store.outbox.claim(10, leaseMs);
      assert.equal(taken?.item?.kind === 'copy' && taken.item.messageIds[0], first.messageId);
      const stopped = await store.pairing.stop({ chatId: 2, stamp: msg() });
      assert.deepEqual(stopped, { kind: 'ended', partner: 1, dropped: 1 });
      return { first, taken: taken! };
    };

    it('a taken copy whose send succeeds is acknowledged; the end notice follows it', async () => {
      const { first, taken } = await takenCopy();
      await store.outbox.settle(
        [
          {
            chatId: 2,
            entryId: taken.entryId,
            copies: { from: 1, pairs: [[first.messageId, 99]] },
          },
        ],
        0,
        5_000,
      );
      assert.deepEqual((await drain(store)).get(2), ['@youEnded']);
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 0 });
    });

    it('a taken copy whose send fails after the end is dropped, never sent after it', async () => {
      const { taken } = await takenCopy();
      assert.equal(await store.outbox.defer(2, taken.entryId, Date.now()), 'dropped');
      assert.deepEqual((await drain(store)).get(2), ['@youEnded']);
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 0 });
      const { counters } = await store.upkeep.stats(60_000);
      assert.equal(counters['dropped_end'], 2, 'both copies counted as dropped');
    });

    it('a taken copy whose sender died is dropped once its lease runs out', async () => {
      await takenCopy(50);
      await sleep(80);
      assert.deepEqual((await drain(store)).get(2), ['@youEnded']);
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 0 });
      // The dead sender may have delivered it: counted apart from the copies surely not sent.
      const { counters } = await store.upkeep.stats(60_000);
      assert.equal(counters['dropped_end'], 1, 'the copy never taken');
      assert.equal(counters['dropped_unsure'], 1, 'the copy its sender died sending');
    });

    it('an edit taken by a sender who died is dropped even after its recipient blocked the bot', async () => {
      await onboard(store, 5);
      await onboard(store, 6);
      await find(5);
      await find(6);
      await drain(store);
      const m = text(5);
      await store.pairing.relay(m);
      await drain(store);
      await store.pairing.edit({
        chatId: 5,
        stamp: msg(),
        messageId: m.messageId,
        edit: { method: 'editMessageText', params: { text: 'edited' } },
      });
      const [taken] = await store.outbox.claim(10, 50);
      assert.equal(taken?.item?.kind, 'edit');
      await store.pairing.stop({ chatId: 5, stamp: msg() });
      await store.pairing.botBlocked(6, membership());
      // The sender never comes back: the edit's text must not stay owed for ever.
      await sleep(80);
      await drain(store);
      assert.deepEqual(await store.outbox.pending(6), { notices: 0, copies: 0 });
      assert.equal(await store.outbox.nextDue(), null);
    });

    it('a copy that failed while its chat goes on is sent again', async () => {
      await onboard(store, 3);
      await onboard(store, 4);
      await find(3);
      await find(4);
      await drain(store);
      const m = text(3);
      await store.pairing.relay(m);
      const [taken] = await store.outbox.claim(10, 5_000);
      assert.equal(await store.outbox.defer(4, taken!.entryId, Date.now()), 'deferred');
      assert.deepEqual((await drain(store)).get(4), [`copy 3:${m.messageId}`]);
    });
  });
}
