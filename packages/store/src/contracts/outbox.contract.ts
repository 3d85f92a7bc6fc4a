import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  drain,
  finder,
  freshStore,
  label,
  msg,
  onboard,
  sleep,
  text,
  type StoreFactory,
} from './kit.js';

/** The outbox: order, leases, settling, deferral, albums, pacing and the global budget. */
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

    it("renders a reply with the keyboard of the user's state when asked to", async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      const find = finder(store);
      await find(1);
      await find(2);
      await drain(store);
      await store.outbox.say({ chatId: 1, stamp: msg(), payload: '@help?kb=auto' });
      const [c] = await store.outbox.claim(10, 5_000);
      assert.equal(c?.item?.kind === 'reply' && c.item.ref, '@help?kb=chat');
      assert.equal(c!.lang, 'en');
    });

    it('hands each chat to one sender at a time, in order, and again after the lease', async () => {
      await store.outbox.say({ chatId: 9, stamp: null, payload: '@welcome' });
      await store.outbox.say({ chatId: 9, stamp: null, payload: '@help' });
      const [first, ...rest] = await store.outbox.claim(10, 300);
      assert.deepEqual(rest, []);
      assert.equal(label(first!), '@welcome');
      assert.deepEqual(
        await store.outbox.claim(10, 300),
        [],
        'leased: nobody else may send to chat 9',
      );
      await sleep(400);
      const again = await store.outbox.claim(10, 300);
      assert.equal(
        again.length,
        1,
        'a crashed sender’s lease runs out and the entry is sent again',
      );
      assert.equal(again[0]!.entryId, first!.entryId);
      await store.outbox.ack(9, first!.entryId);
      await store.outbox.ack(9, first!.entryId); // a late duplicate ack changes nothing
      const second = await store.outbox.claim(10, 300);
      assert.equal(label(second[0]!), '@help');
      await store.outbox.ack(9, second[0]!.entryId);
      assert.deepEqual(await store.outbox.pending(9), { notices: 0, copies: 0 });
      assert.equal(await store.outbox.nextDue(), null);
    });

    it('settles delivered heads and claims the next in one call, saying when more is due', async () => {
      await store.outbox.say({ chatId: 7, stamp: null, payload: ['@welcome', '@help'] });
      await store.outbox.say({ chatId: 8, stamp: null, payload: '@searching' });
      const first = await store.outbox.settle([], 10, 5_000);
      assert.deepEqual(first.claimed.map(label).sort(), ['@searching', '@welcome']);
      assert.ok(
        first.nextDue !== null && first.nextDue > Date.now() + 4_000,
        'only leased chats remain',
      );
      const second = await store.outbox.settle(
        first.claimed.map(({ chatId, entryId }) => ({ chatId, entryId })),
        10,
        5_000,
      );
      assert.deepEqual(second.claimed.map(label), ['@help']);
      const third = await store.outbox.settle(
        second.claimed.map(({ chatId, entryId }) => ({ chatId, entryId })),
        10,
        5_000,
      );
      assert.deepEqual(third, { claimed: [], nextDue: null });
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

    it("gathers an album's parts into one entry, sent once the last part is in", async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      const find = finder(store);
      await find(1);
      await find(2);
      await drain(store);
      const parts = [
        text(1, { mediaGroup: 'g1' }),
        text(1, { mediaGroup: 'g1' }),
        text(1, { mediaGroup: 'g1' }),
      ];
      for (const p of parts) await store.pairing.relay(p);
      assert.deepEqual(await store.outbox.claim(10, 5_000), [], 'still gathering');
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 1 });
      await sleep(800);
      const [album] = await store.outbox.claim(10, 5_000);
      assert.deepEqual(album!.item, {
        kind: 'copy',
        from: 1,
        messageIds: parts.map((p) => p.messageId),
        replyTo: null,
        protect: false,
      });
    });

    it('reads an entry it cannot understand as nothing to send', async () => {
      await store.outbox.say({
        chatId: 5,
        stamp: null,
        payload: { method: 'sendMessage', params: { text: 'x' } },
      });
      const [c] = await store.outbox.claim(10, 5_000);
      assert.equal(c!.item?.kind, 'call');
      assert.equal(
        await store.outbox.say({ chatId: 5, stamp: null, payload: '@nosuchreply' as '@help' }),
        'said',
      );
      await store.outbox.ack(5, c!.entryId);
      const [bad] = await store.outbox.claim(10, 5_000);
      assert.equal(bad!.item, null);
    });

    it('hands out an entry that only looks like a copy or an edit, and the chat goes on', async () => {
      // As a foreign writer could leave them: a copy with an extra field, a copy and an edit
      // of no chat. The sender drops each; nothing may stop the chat (or the outbox) behind.
      for (const raw of ['~1|2|a|b|||0', '~x|2||||0', '^x|2|{}', '~1|2||||']) {
        await store.outbox.say({ chatId: 6, stamp: null, payload: raw as '@help' });
      }
      await store.outbox.say({
        chatId: 6,
        stamp: null,
        payload: { method: 'sendMessage', params: { text: 'after' } },
      });
      const got = await drain(store);
      assert.deepEqual(got.get(6), [
        'unreadable',
        'unreadable',
        'unreadable',
        'unreadable',
        'sendMessage',
      ]);
    });

    it('keeps an album whose media group holds the separator of entries readable', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      const find = finder(store);
      await find(1);
      await find(2);
      await drain(store);
      const parts = [text(1, { mediaGroup: 'a|b' }), text(1, { mediaGroup: 'a|b' })];
      for (const p of parts) await store.pairing.relay(p);
      const other = text(1, { mediaGroup: 'a' });
      await store.pairing.relay(other);
      const after = text(1);
      await store.pairing.relay(after);
      await sleep(800);
      const got = await drain(store);
      assert.deepEqual(got.get(2), [
        `copy 1:${parts.map((p) => p.messageId).join(',')}`,
        `copy 1:${other.messageId}`,
        `copy 1:${after.messageId}`,
      ]);
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
          sent.push(label(c));
          await store.outbox.ack(c.chatId, c.entryId);
        }
        assert.deepEqual(sent, ['@welcome', '@help', '@searching']);
        assert.ok(Date.now() - started >= 60, 'the third waited for a token');
      } finally {
        await store.close();
      }
    });

    it('answers to a button press and the bot’s edits of its own messages are not paced', async () => {
      const store = await factory({ chatRatePerSec: 1, chatBurst: 1 });
      try {
        const edit = {
          method: 'editMessageReplyMarkup' as const,
          params: { message_id: 7, reply_markup: { inline_keyboard: [] } },
        };
        for (const payload of ['@welcome', '@settingsSaved?q=9', edit, '@help'] as const)
          await store.outbox.say({ chatId: 5, stamp: null, payload });
        const sent: string[] = [];
        for (let i = 0; i < 4; i++) {
          const [c] = await store.outbox.claim(10, 5_000);
          if (!c) break;
          sent.push(label(c));
          await store.outbox.ack(c.chatId, c.entryId);
        }
        // One token: the welcome spends it; the answer and the edit go at once; help waits.
        assert.deepEqual(sent, ['@welcome', '@settingsSaved', 'editMessageReplyMarkup']);
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

/** Leases kept alive while a send is in flight. */
export function leaseContract(name: string, factory: StoreFactory): void {
  describe(`Outbox leases: ${name}`, () => {
    const store = freshStore(factory);

    it('a renewed lease keeps a slow send from being handed out again', async () => {
      await store.outbox.say({ chatId: 3, stamp: null, payload: '@help' });
      const [c] = await store.outbox.claim(10, 300);
      for (let i = 0; i < 3; i++) {
        await sleep(200);
        await store.outbox.renew([{ chatId: 3, entryId: c!.entryId }], 300);
      }
      assert.deepEqual(await store.outbox.claim(10, 300), [], 'still held after 600 ms');
      await sleep(400);
      assert.equal((await store.outbox.claim(10, 300)).length, 1, 'a lease not renewed runs out');
    });
  });
}
