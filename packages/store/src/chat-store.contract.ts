import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, compatibleBuckets, type Profile, type Stamp } from '@hamdam/domain';
import type { ChatStore, StoreLimits, StoredProfile } from './chat-store.js';

/**
 * One behaviour, two adapters: this suite runs against the in-process store and against the
 * real Redis. A difference between them is a bug in one of them.
 */
export type StoreFactory = (limits?: Partial<StoreLimits>) => Promise<ChatStore>;

const ANY: Profile = { gender: null, wants: 'any' };
function stored(profile: Profile, uid = 1): StoredProfile {
  return { uid, bucket: bucketOf(profile), candidates: compatibleBuckets(profile) };
}
const fallback = stored(ANY);
let nextUpdate = 1;
const msg = (): Stamp => ({ queue: 'm', updateId: nextUpdate++ });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Claims everything owed and acknowledges it: what each chat would have received, in order. */
async function drain(store: ChatStore): Promise<Map<number, unknown[]>> {
  const got = new Map<number, unknown[]>();
  for (let round = 0; round < 100; round++) {
    const batch = await store.claim(100, 5_000);
    if (batch.length === 0) break;
    for (const c of batch) {
      got.set(c.chatId, [...(got.get(c.chatId) ?? []), c.payload]);
      await store.ack(c.chatId, c.entryId);
    }
  }
  return got;
}

export function chatStoreContract(name: string, factory: StoreFactory): void {
  describe(`ChatStore contract: ${name}`, () => {
    let store: ChatStore;
    // Generous pacing so that ordinary tests never wait on it.
    const limits = { chatRatePerSec: 1000, chatBurst: 1000 };
    beforeEach(async () => {
      store = await factory(limits);
    });
    afterEach(async () => {
      await store.close();
    });

    const find = (chatId: number, next = false, stamp: Stamp | null = msg()) =>
      store.find({ chatId, stamp, next, fallback });

    it('queues the first user and pairs the second with them at once', async () => {
      assert.deepEqual(await find(1), { kind: 'queued', endedPartner: null });
      assert.deepEqual(await find(2), { kind: 'matched', partner: 1, endedPartner: null });
      const none = { uid: null, bucket: null, queuedIn: null };
      assert.deepEqual(await store.getUser(1), { status: 'chatting', partner: 2, ...none });
      assert.deepEqual(await store.getUser(2), { status: 'chatting', partner: 1, ...none });
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
      assert.deepEqual(await store.relay({ chatId: 1, stamp, payload }), {
        kind: 'relayed',
        partner: 2,
      });
      assert.deepEqual(await store.relay({ chatId: 1, stamp, payload }), { kind: 'duplicate' });
      // An older id from the same queue is a redelivery too; a newer one is new.
      assert.deepEqual(
        await store.relay({
          chatId: 1,
          stamp: { queue: 'm', updateId: stamp.updateId - 1 },
          payload,
        }),
        { kind: 'duplicate' },
      );
      // Another Telegram queue (callback queries) has its own order.
      assert.equal(
        await store.say({
          chatId: 1,
          stamp: { queue: 'c', updateId: stamp.updateId },
          payload: '@x',
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
      assert.deepEqual(await store.relay({ chatId: 2, stamp: msg(), payload }), {
        kind: 'relayed',
        partner: 1,
      });
      assert.deepEqual(await store.relay({ chatId: 3, stamp: msg(), payload }), {
        kind: 'not-chatting',
      });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched', payload]);
      assert.deepEqual(got.get(2), ['@matched']);
      assert.deepEqual(got.get(3), ['@searching', '@notChatting']);
    });

    it('stop ends the chat for both and records it', async () => {
      await find(1);
      await find(2);
      const payload = '@hello' as const;
      await store.relay({ chatId: 2, stamp: msg(), payload });
      await store.relay({ chatId: 2, stamp: msg(), payload });
      await store.relay({ chatId: 1, stamp: msg(), payload });
      assert.deepEqual(await store.stop({ chatId: 2, stamp: msg() }), {
        kind: 'ended',
        partner: 1,
      });
      assert.equal((await store.getUser(1)).status, 'idle');
      assert.equal((await store.getUser(2)).status, 'idle');
      assert.deepEqual(await store.stop({ chatId: 2, stamp: msg() }), { kind: 'idle' });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched', '@hello', '@hello', '@partnerEnded']);
      assert.deepEqual(got.get(2), ['@matched', '@hello', '@youEnded', '@notChatting']);
      const ended = await store.readEndedChats(10);
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
      await store.ackEndedChats(ended.map((e) => e.id));
      assert.deepEqual(await store.readEndedChats(10), []);
    });

    it('stop while searching leaves the queue', async () => {
      await find(1);
      assert.deepEqual(await store.stop({ chatId: 1, stamp: msg() }), { kind: 'left-queue' });
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
      await store.setProfile(1, man('m'));
      await store.setProfile(2, woman('m'));
      await store.setProfile(3, woman('any'));
      await store.setProfile(4, man('any'));
      await store.setProfile(5, woman('m'));
      // No two of 1, 2, 3 accept each other.
      assert.equal((await find(1)).kind, 'queued');
      assert.equal((await find(2)).kind, 'queued');
      assert.equal((await find(3)).kind, 'queued');
      // 4 accepts and is accepted by all three: the longest waiting wins.
      assert.deepEqual(await find(4), { kind: 'matched', partner: 1, endedPartner: null });
      // 5 wants a man; the only one left is taken, and 2 and 3 are women.
      assert.deepEqual(await find(5), { kind: 'queued', endedPartner: null });
      assert.equal((await store.getUser(2)).status, 'queued');
      assert.equal((await store.getUser(3)).status, 'queued');
      assert.equal((await store.getUser(4)).uid, 1);
    });

    it('moves a waiting user to the bucket of a new profile, keeping their place', async () => {
      const womanWantsMan = stored({ gender: 'f', wants: 'm' }, 7);
      const womanWantsAny = stored({ gender: 'f', wants: 'any' }, 7);
      await store.setProfile(1, womanWantsMan);
      await store.setProfile(2, stored({ gender: 'f', wants: 'any' }, 8));
      await find(1);
      await find(2);
      assert.equal((await store.getUser(1)).queuedIn, womanWantsMan.bucket);
      await store.setProfile(1, womanWantsAny);
      const moved = await store.getUser(1);
      assert.deepEqual(
        [moved.status, moved.bucket, moved.queuedIn],
        ['queued', womanWantsAny.bucket, womanWantsAny.bucket],
      );
      // A man who accepts anyone now meets 1 first: she was there before 2.
      await store.setProfile(3, stored({ gender: 'm', wants: 'any' }, 9));
      assert.deepEqual(await find(3), { kind: 'matched', partner: 1, endedPartner: null });
      // Leaving the queue after a move leaves nothing behind in either bucket.
      await store.stop({ chatId: 2, stamp: msg() });
      await store.setProfile(4, stored({ gender: 'm', wants: 'any' }, 10));
      assert.deepEqual(await find(4), { kind: 'queued', endedPartner: null });
    });

    it('commits several replies of one update together, in order', async () => {
      assert.equal(
        await store.say({ chatId: 3, stamp: msg(), payload: ['@one', '@two', '@three'] }),
        'said',
      );
      assert.deepEqual((await drain(store)).get(3), ['@one', '@two', '@three']);
    });

    it('never pairs a user twice when many search at once', async () => {
      const users = Array.from({ length: 41 }, (_, i) => 100 + i);
      const results = await Promise.all(users.map((u) => find(u)));
      const partnerOf = new Map<number, number>();
      for (const u of users) {
        const s = await store.getUser(u);
        if (s.status === 'chatting') partnerOf.set(u, s.partner!);
        else assert.equal(s.status, 'queued');
      }
      for (const [u, p] of partnerOf) assert.equal(partnerOf.get(p), u, `pair ${u}-${p} is mutual`);
      assert.equal(partnerOf.size, 40);
      assert.equal(results.filter((r) => r.kind === 'matched').length, 20);
    });

    it('hands each chat to one sender at a time, in order, and again after the lease', async () => {
      await store.say({ chatId: 9, stamp: null, payload: '@a' });
      await store.say({ chatId: 9, stamp: null, payload: '@b' });
      const [first, ...rest] = await store.claim(10, 80);
      assert.deepEqual(rest, []);
      assert.equal(first!.payload, '@a');
      assert.deepEqual(await store.claim(10, 80), [], 'leased: nobody else may send to chat 9');
      await sleep(120);
      const again = await store.claim(10, 80);
      assert.equal(
        again.length,
        1,
        'a crashed sender’s lease runs out and the entry is sent again',
      );
      assert.equal(again[0]!.entryId, first!.entryId);
      await store.ack(9, first!.entryId);
      await store.ack(9, first!.entryId); // a late duplicate ack changes nothing
      const second = await store.claim(10, 80);
      assert.equal(second[0]!.payload, '@b');
      await store.ack(9, second[0]!.entryId);
      assert.equal(await store.pending(9), 0);
      assert.equal(await store.nextDue(), null);
    });

    it('settles delivered heads and claims the next in one step, saying when more is due', async () => {
      await store.say({ chatId: 7, stamp: null, payload: ['@a', '@b'] });
      await store.say({ chatId: 8, stamp: null, payload: '@c' });
      const first = await store.settle([], 10, 5_000);
      assert.deepEqual(first.claimed.map((c) => c.payload).sort(), ['@a', '@c']);
      assert.ok(
        first.nextDue !== null && first.nextDue > Date.now() + 4_000,
        'only leased chats remain',
      );
      const second = await store.settle(
        first.claimed.map(({ chatId, entryId }) => ({ chatId, entryId })),
        10,
        5_000,
      );
      assert.deepEqual(
        second.claimed.map((c) => c.payload),
        ['@b'],
      );
      const third = await store.settle(
        second.claimed.map(({ chatId, entryId }) => ({ chatId, entryId })),
        10,
        5_000,
      );
      assert.deepEqual(third, { claimed: [], nextDue: null });
      assert.equal(await store.pending(7), 0);
      assert.equal(await store.pending(8), 0);
    });

    it('defers a chat until the time given (retry_after)', async () => {
      await store.say({ chatId: 9, stamp: null, payload: '@a' });
      const [c] = await store.claim(10, 5_000);
      const due = Date.now() + 150;
      await store.defer(9, c!.entryId, due);
      assert.deepEqual(await store.claim(10, 5_000), []);
      const next = await store.nextDue();
      assert.ok(next !== null && Math.abs(next - due) <= 1);
      await sleep(200);
      assert.equal((await store.claim(10, 5_000))[0]!.entryId, c!.entryId);
    });

    it('blocked ends the chat, tells the partner, and drops what was owed', async () => {
      await find(1);
      await find(2);
      await store.say({ chatId: 1, stamp: null, payload: '@owed' });
      assert.deepEqual(await store.blocked(1, null), { kind: 'ended', partner: 2 });
      assert.equal(await store.pending(1), 0);
      const got = await drain(store);
      assert.equal(got.get(1), undefined);
      assert.deepEqual(got.get(2), ['@matched', '@partnerLeft']);
      assert.equal((await store.readEndedChats(5))[0]!.reason, 'blocked');
    });

    it('of two FSM writers racing on one version, exactly one wins', async () => {
      const results = await Promise.all(
        ['a', 'b', 'c'].map((name) => store.writeFsm(6, 0, { name, data: {} }, 60)),
      );
      assert.deepEqual(results.filter(Boolean).length, 1);
      const { version, state } = await store.readFsm(6);
      assert.equal(version, 1);
      assert.equal(state?.name, ['a', 'b', 'c'][results.indexOf(true)]);
    });

    it('stop and block racing for one chat end it once', async () => {
      await find(1);
      await find(2);
      const [stopped, blocked] = await Promise.all([
        store.stop({ chatId: 1, stamp: msg() }),
        store.blocked(2, { queue: 'k', updateId: nextUpdate++ }),
      ]);
      assert.equal([stopped.kind, blocked.kind].filter((k) => k === 'ended').length, 1);
      assert.equal((await store.readEndedChats(10)).length, 1);
      assert.equal((await store.getUser(1)).status, 'idle');
      assert.equal((await store.getUser(2)).status, 'idle');
    });

    it('FSM writes are compare-and-set on the version', async () => {
      assert.deepEqual(await store.readFsm(5), { version: 0, state: null });
      const s1 = { name: 'age', data: { step: 1 } };
      assert.equal(await store.writeFsm(5, 0, s1, 60), true);
      assert.equal(await store.writeFsm(5, 0, { name: 'x', data: {} }, 60), false);
      assert.deepEqual(await store.readFsm(5), { version: 1, state: s1 });
      assert.equal(await store.writeFsm(5, 1, null, 60), true);
      assert.deepEqual(await store.readFsm(5), { version: 2, state: null });
      assert.equal(await store.writeFsm(5, 1, s1, 60), false, 'a stale writer cannot resurrect it');
    });
  });

  describe(`ChatStore pacing: ${name}`, () => {
    it('sends a burst to one chat, then paces it', async () => {
      const store = await factory({ chatRatePerSec: 10, chatBurst: 2 });
      try {
        for (const p of ['@1', '@2', '@3'] as const)
          await store.say({ chatId: 4, stamp: null, payload: p });
        const sent: string[] = [];
        const started = Date.now();
        while (sent.length < 3 && Date.now() - started < 2_000) {
          const [c] = await store.claim(10, 5_000);
          if (!c) {
            await sleep(10);
            continue;
          }
          sent.push(typeof c.payload === 'string' ? c.payload : c.payload.method);
          await store.ack(c.chatId, c.entryId);
        }
        assert.deepEqual(sent, ['@1', '@2', '@3']);
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
          await store.say({ chatId: chat, stamp: null, payload: '@x' });
        const first = await store.claim(100, 5_000);
        assert.equal(first.length, 3);
        assert.equal((await store.claim(100, 5_000)).length, 0);
      } finally {
        await store.close();
      }
    });
  });
}
