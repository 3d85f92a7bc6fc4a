import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { finder, freshStore, msg, onboard, type StoreFactory } from './kit.js';

/** The journal: what the steps leave for Postgres, read and acknowledged once. */
export function journalContract(name: string, factory: StoreFactory): void {
  describe(`Journal contract: ${name}`, () => {
    const store = freshStore(factory);
    const find = finder(store);

    it('keeps each record until it is acknowledged, in order', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await store.pairing.stop({ chatId: 2, stamp: msg() });
      const entries = await store.journal.read('reader', 100);
      assert.deepEqual(
        entries.map((e) => e.kind),
        ['started', 'profile', 'started', 'profile', 'chat-ended'],
      );
      const again = await store.journal.read('reader', 100);
      assert.ok(again.length === 0 || again.length === 5, 'unacknowledged entries are not lost');
      await store.journal.ack(entries.map((e) => e.id));
      assert.deepEqual(await store.journal.read('reader', 100), []);
    });
  });
}
