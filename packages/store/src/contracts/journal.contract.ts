import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drain, finder, freshStore, msg, readJournal, type StoreFactory } from './kit.js';

/** The journal: what a finished chat leaves for Postgres, read and acknowledged once. */
export function journalContract(name: string, factory: StoreFactory): void {
  describe(`Journal contract: ${name}`, () => {
    const store = freshStore(factory);

    const find = finder(store);

    it('stop ends the chat for both and records it', async () => {
      await find(1);
      await find(2);
      const payload = '@help' as const;
      await store.pairing.relay({ chatId: 2, stamp: msg(), payload });
      await store.pairing.relay({ chatId: 2, stamp: msg(), payload });
      await store.pairing.relay({ chatId: 1, stamp: msg(), payload });
      assert.deepEqual(await store.pairing.stop({ chatId: 2, stamp: msg() }), {
        kind: 'ended',
        partner: 1,
      });
      assert.equal((await store.pairing.getUser(1)).status, 'idle');
      assert.equal((await store.pairing.getUser(2)).status, 'idle');
      assert.deepEqual(await store.pairing.stop({ chatId: 2, stamp: msg() }), { kind: 'idle' });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched', '@help', '@help', '@partnerEnded']);
      assert.deepEqual(got.get(2), ['@matched', '@help', '@youEnded', '@notChatting']);
      const ended = await readJournal(store, 10);
      assert.equal(ended.length, 1);
      assert.deepEqual(
        {
          a: ended[0]!.a,
          b: ended[0]!.b,
          reason: ended[0]!.reason,
          ma: ended[0]!.messagesA,
          mb: ended[0]!.messagesB,
        },
        { a: 2, b: 1, reason: 'stop', ma: 2, mb: 1 },
      );
      assert.ok(ended[0]!.endedAt >= ended[0]!.startedAt);
      await store.journal.ack(ended.map((e) => e.id));
      assert.deepEqual(await readJournal(store, 10), []);
    });
  });
}
