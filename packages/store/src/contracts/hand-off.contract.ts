import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Claimed, Sender } from '../outbox.js';
import type { StateStore } from '../state-store.js';
import {
  drain,
  finder,
  freshStore,
  label,
  msg,
  onboard,
  text,
  UNPACED,
  type StoreFactory,
} from './kit.js';

/** A sender that keeps what steps hand it, with room for `room` heads. */
function recorder(room = 10) {
  const handed: Claimed[] = [];
  let dues = 0;
  const sender: Sender = {
    free: () => room,
    leaseMs: 5_000,
    send: (claimed) => handed.push(...claimed),
    due: () => dues++,
  };
  return { sender, handed, dues: () => dues };
}

/** Users 1 and 2 in a chat, with nothing owed to either. */
async function chatting(store: StateStore): Promise<void> {
  await onboard(store, 1);
  await onboard(store, 2);
  const find = finder(store);
  await find(1);
  await find(2);
  await drain(store);
}

/** What a step makes sendable goes to the caller's sender in the same call (Outbox.handTo). */
export function handOffContract(name: string, factory: StoreFactory): void {
  describe(`Hand-off contract: ${name}`, () => {
    const store = freshStore(factory);

    it('hands a chat with nothing owed its first head, leased; the next waits for the ack', async () => {
      await chatting(store);
      const { sender, handed, dues } = recorder();
      store.outbox.handTo(sender);
      const message = text(1);
      assert.equal((await store.pairing.relay(message)).kind, 'relayed', 'the step’s own answer');
      assert.deepEqual(
        handed.map((c) => [c.chatId, label(c)]),
        [[2, `copy 1:${message.messageId}`]],
      );
      assert.deepEqual(await store.outbox.claim(10, 5_000), [], 'leased to the sender');
      // A second message while the first is being sent is the dispatcher's, after the ack.
      const second = text(1);
      await store.pairing.relay(second);
      // Nor is a notice for that chat: one send at a time per chat keeps its order.
      await store.outbox.say({ chatId: 2, stamp: msg(), payload: '@help' });
      assert.equal(handed.length, 1);
      assert.equal(dues(), 0, 'nothing was left due: the chat is being sent to');
      const next = await store.outbox.settle(
        [
          {
            chatId: 2,
            entryId: handed[0]!.entryId,
            copies: { from: 1, pairs: [[message.messageId, 500]] },
          },
        ],
        10,
        5_000,
      );
      assert.deepEqual(next.claimed.map(label), ['@help'], 'notices first, then the copy');
      assert.equal(handed.length, 1, 'a settle hands nothing over: it claims');
    });

    it('hands both users their notice when a Find matches them', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      const { sender, handed } = recorder();
      store.outbox.handTo(sender);
      const find = finder(store);
      await find(1);
      assert.deepEqual(
        handed.map((c) => [c.chatId, label(c)]),
        [[1, '@searching']],
      );
      await store.outbox.ack(1, handed[0]!.entryId);
      handed.length = 0;
      assert.equal((await find(2)).kind, 'matched');
      assert.deepEqual(handed.map((c) => [c.chatId, label(c)]).sort(), [
        [1, '@matched'],
        [2, '@matched'],
      ]);
      assert.equal(handed.find((c) => c.chatId === 2)?.lang, 'en', 'a notice carries its language');
    });

    it('with no room hands nothing and says a chat is due; the dispatcher claims it', async () => {
      await chatting(store);
      const { sender, handed, dues } = recorder(0);
      store.outbox.handTo(sender);
      const message = text(1);
      await store.pairing.relay(message);
      assert.equal(handed.length, 0);
      assert.equal(dues(), 1);
      assert.deepEqual((await store.outbox.claim(10, 5_000)).map(label), [
        `copy 1:${message.messageId}`,
      ]);
    });

    it('hands over only as many heads as the sender has room for', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      const find = finder(store);
      await find(1);
      await drain(store);
      const { sender, handed, dues } = recorder(1);
      store.outbox.handTo(sender);
      assert.equal((await find(2)).kind, 'matched');
      assert.equal(handed.length, 1, 'two chats made sendable, room for one');
      assert.equal(dues(), 1);
      const rest = await store.outbox.claim(10, 5_000);
      assert.deepEqual(
        [...handed, ...rest].map((c) => c.chatId).sort(),
        [1, 2],
        'the other is left to the dispatcher',
      );
      await store.outbox.say({ chatId: 4, stamp: msg(), payload: ['@help', '@welcome'] });
      assert.deepEqual(handed.slice(1).map(label), ['@help'], 'a chat’s head only');
    });

    it('hands nothing without a sender: the answers are the steps’ own', async () => {
      await chatting(store);
      const { sender, handed } = recorder();
      store.outbox.handTo(sender);
      store.outbox.handTo(null);
      assert.equal((await store.pairing.relay(text(1))).kind, 'relayed');
      assert.equal(handed.length, 0);
      assert.equal((await store.outbox.claim(10, 5_000)).length, 1);
    });
  });

  describe(`Hand-off contract: ${name}, paced`, () => {
    it('keeps per-chat pacing and the global budget', async () => {
      const paced = await factory({ ...UNPACED, chatRatePerSec: 1, chatBurst: 1 });
      try {
        const { sender, handed, dues } = recorder();
        paced.outbox.handTo(sender);
        await paced.outbox.say({ chatId: 5, stamp: msg(), payload: '@help' });
        assert.equal(handed.length, 1);
        await paced.outbox.ack(5, handed[0]!.entryId);
        await paced.outbox.say({ chatId: 5, stamp: msg(), payload: '@welcome' });
        assert.equal(handed.length, 1, 'the chat’s token is spent: it waits about a second');
        assert.equal(dues(), 1);
        assert.deepEqual(await paced.outbox.claim(10, 5_000), []);
        const due = await paced.outbox.nextDue();
        assert.ok(due !== null && due > Date.now() + 500, 'due again in about a second');
      } finally {
        await paced.close();
      }
      const budgeted = await factory({ ...UNPACED, globalRatePerSec: 5, globalBurst: 2 });
      try {
        const { sender, handed } = recorder();
        budgeted.outbox.handTo(sender);
        for (let chatId = 1; chatId <= 4; chatId++) {
          await budgeted.outbox.say({ chatId, stamp: msg(), payload: '@help' });
        }
        assert.equal(handed.length, 2, 'the global burst');
        assert.equal((await budgeted.outbox.claim(10, 5_000)).length, 0, 'the budget is spent');
      } finally {
        await budgeted.close();
      }
    });
  });
}
