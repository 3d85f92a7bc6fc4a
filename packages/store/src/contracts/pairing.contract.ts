import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Profile } from '@hamdam/domain';
import {
  drain,
  finder,
  freshStore,
  membership,
  msg,
  readJournal,
  stored,
  type StoreFactory,
} from './kit.js';

/** Matchmaking, pairs and relay: the same behaviour on every engine the store runs on. */
export function pairingContract(name: string, factory: StoreFactory): void {
  describe(`Pairing contract: ${name}`, () => {
    const store = freshStore(factory);

    const find = finder(store);

    it('queues the first user and pairs the second with them at once', async () => {
      assert.deepEqual(await find(1), { kind: 'queued', endedPartner: null });
      assert.deepEqual(await find(2), { kind: 'matched', partner: 1, endedPartner: null });
      const none = { uid: null, bucket: null, queuedIn: null };
      assert.deepEqual(await store.pairing.getUser(1), { status: 'chatting', partner: 2, ...none });
      assert.deepEqual(await store.pairing.getUser(2), { status: 'chatting', partner: 1, ...none });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched']);
      assert.deepEqual(got.get(2), ['@matched']);
    });

    it('answers a repeated find without changing anything', async () => {
      await find(1);
      assert.deepEqual(await find(1), { kind: 'already-queued' });
      await find(2);
      assert.deepEqual(await find(2), { kind: 'already-chatting' });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@alreadySearching', '@matched']);
      assert.deepEqual(got.get(2), ['@matched', '@alreadyChatting']);
    });

    it('recognises a redelivered update and commits it only once', async () => {
      await find(1);
      await find(2);
      const stamp = msg();
      const payload = {
        method: 'copyMessage',
        params: { from_chat_id: 1, message_id: 7 },
      } as const;
      assert.deepEqual(await store.pairing.relay({ chatId: 1, stamp, payload }), {
        kind: 'relayed',
        partner: 2,
      });
      assert.deepEqual(await store.pairing.relay({ chatId: 1, stamp, payload }), {
        kind: 'duplicate',
      });
      // An older id from the same queue is a redelivery too; a newer one is new.
      assert.deepEqual(
        await store.pairing.relay({
          chatId: 1,
          stamp: { queue: 'm', updateId: stamp.updateId - 1 },
          payload,
        }),
        { kind: 'duplicate' },
      );
      // Another Telegram queue (callback queries) has its own order.
      assert.equal(
        await store.outbox.say({
          chatId: 1,
          stamp: { queue: 'c', updateId: stamp.updateId },
          payload: '@help',
        }),
        'said',
      );
      const got = await drain(store);
      assert.deepEqual(got.get(2), ['@matched', payload]);
    });

    it('relays only to the partner, and tells a user without one', async () => {
      await find(1);
      await find(2);
      await find(3);
      const payload = {
        method: 'copyMessage',
        params: { from_chat_id: 2, message_id: 1 },
      } as const;
      assert.deepEqual(await store.pairing.relay({ chatId: 2, stamp: msg(), payload }), {
        kind: 'relayed',
        partner: 1,
      });
      assert.deepEqual(await store.pairing.relay({ chatId: 3, stamp: msg(), payload }), {
        kind: 'not-chatting',
      });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched', payload]);
      assert.deepEqual(got.get(2), ['@matched']);
      assert.deepEqual(got.get(3), ['@searching', '@notChatting']);
    });

    it('stop while searching leaves the queue', async () => {
      await find(1);
      assert.deepEqual(await store.pairing.stop({ chatId: 1, stamp: msg() }), {
        kind: 'left-queue',
      });
      assert.deepEqual(await find(2), { kind: 'queued', endedPartner: null });
    });

    it('next ends the chat, tells the partner and does not pair the same two again at once', async () => {
      await find(1);
      await find(2);
      assert.deepEqual(await find(2, true), { kind: 'queued', endedPartner: 1 });
      assert.deepEqual(await find(1), { kind: 'queued', endedPartner: null });
      assert.deepEqual(await find(3), { kind: 'matched', partner: 2, endedPartner: null });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched', '@partnerEnded', '@searching']);
    });

    it('pairs only compatible profiles, the longest waiting first', async () => {
      const man = (wants: Profile['wants']) => stored({ gender: 'm', wants });
      const woman = (wants: Profile['wants']) => stored({ gender: 'f', wants });
      await store.pairing.setProfile(1, man('m'));
      await store.pairing.setProfile(2, woman('m'));
      await store.pairing.setProfile(3, woman('any'));
      await store.pairing.setProfile(4, man('any'));
      await store.pairing.setProfile(5, woman('m'));
      // No two of 1, 2, 3 accept each other.
      assert.equal((await find(1)).kind, 'queued');
      assert.equal((await find(2)).kind, 'queued');
      assert.equal((await find(3)).kind, 'queued');
      // 4 accepts and is accepted by all three: the longest waiting wins.
      assert.deepEqual(await find(4), { kind: 'matched', partner: 1, endedPartner: null });
      // 5 wants a man; the only one left is taken, and 2 and 3 are women.
      assert.deepEqual(await find(5), { kind: 'queued', endedPartner: null });
      assert.equal((await store.pairing.getUser(2)).status, 'queued');
      assert.equal((await store.pairing.getUser(3)).status, 'queued');
      assert.equal((await store.pairing.getUser(4)).uid, 1);
    });

    it('moves a waiting user to the bucket of a new profile, keeping their place', async () => {
      const womanWantsMan = stored({ gender: 'f', wants: 'm' }, 7);
      const womanWantsAny = stored({ gender: 'f', wants: 'any' }, 7);
      await store.pairing.setProfile(1, womanWantsMan);
      await store.pairing.setProfile(2, stored({ gender: 'f', wants: 'any' }, 8));
      await find(1);
      await find(2);
      assert.equal((await store.pairing.getUser(1)).queuedIn, womanWantsMan.bucket);
      await store.pairing.setProfile(1, womanWantsAny);
      const moved = await store.pairing.getUser(1);
      assert.deepEqual(
        [moved.status, moved.bucket, moved.queuedIn],
        ['queued', womanWantsAny.bucket, womanWantsAny.bucket],
      );
      // A man who accepts anyone now meets 1 first: she was there before 2.
      await store.pairing.setProfile(3, stored({ gender: 'm', wants: 'any' }, 9));
      assert.deepEqual(await find(3), { kind: 'matched', partner: 1, endedPartner: null });
      // Leaving the queue after a move leaves nothing behind in either bucket.
      await store.pairing.stop({ chatId: 2, stamp: msg() });
      await store.pairing.setProfile(4, stored({ gender: 'm', wants: 'any' }, 10));
      assert.deepEqual(await find(4), { kind: 'queued', endedPartner: null });
    });

    it('never pairs a user twice when many search at once', async () => {
      const users = Array.from({ length: 41 }, (_, i) => 100 + i);
      const results = await Promise.all(users.map((u) => find(u)));
      const partnerOf = new Map<number, number>();
      for (const u of users) {
        const s = await store.pairing.getUser(u);
        if (s.status === 'chatting') partnerOf.set(u, s.partner!);
        else assert.equal(s.status, 'queued');
      }
      for (const [u, p] of partnerOf) assert.equal(partnerOf.get(p), u, `pair ${u}-${p} is mutual`);
      assert.equal(partnerOf.size, 40);
      assert.equal(results.filter((r) => r.kind === 'matched').length, 20);
    });

    it('blocked ends the chat, tells the partner, and drops what was owed', async () => {
      await find(1);
      await find(2);
      await store.outbox.say({ chatId: 1, stamp: null, payload: '@help' });
      assert.deepEqual(await store.pairing.blocked(1, null), { kind: 'ended', partner: 2 });
      assert.equal(await store.outbox.pending(1), 0);
      const got = await drain(store);
      assert.equal(got.get(1), undefined);
      assert.deepEqual(got.get(2), ['@matched', '@partnerLeft']);
      assert.equal((await readJournal(store, 5))[0]!.reason, 'blocked');
    });

    it('stop and block racing for one chat end it once', async () => {
      await find(1);
      await find(2);
      const [stopped, blocked] = await Promise.all([
        store.pairing.stop({ chatId: 1, stamp: msg() }),
        store.pairing.blocked(2, membership()),
      ]);
      assert.equal([stopped.kind, blocked.kind].filter((k) => k === 'ended').length, 1);
      assert.equal((await readJournal(store, 10)).length, 1);
      assert.equal((await store.pairing.getUser(1)).status, 'idle');
      assert.equal((await store.pairing.getUser(2)).status, 'idle');
    });
  });
}
