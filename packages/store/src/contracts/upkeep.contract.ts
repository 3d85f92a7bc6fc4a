import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Stamp } from '@hamdam/domain';
import {
  drain,
  endedChats,
  finder,
  freshStore,
  membership,
  msg,
  onboard,
  readJournal,
  sleep,
  text,
  type StoreFactory,
} from './kit.js';

/** Periodic work under one lease, and the cluster-wide figures. */
export function upkeepContract(name: string, factory: StoreFactory): void {
  describe(`Upkeep contract: ${name}`, () => {
    const store = freshStore(factory, { idleChatMs: 400, queueIdleMs: 400 });
    const find = finder(store);

    it('an idle chat ends, both told; a chat in use does not', async () => {
      for (const u of [1, 2, 3, 4]) await onboard(store, u);
      await find(1);
      await find(2);
      await find(3);
      await find(4);
      await drain(store);
      await sleep(250);
      await store.pairing.relay(text(3));
      await sleep(250);
      const swept = await store.upkeep.sweep(100);
      assert.equal(swept.idleChatsEnded, 1);
      assert.equal((await store.profiles.view(1)).status, 'idle');
      assert.equal((await store.profiles.view(3)).status, 'chatting');
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@idleEnded']);
      assert.deepEqual(got.get(2), ['@idleEnded']);
      assert.equal(endedChats(await readJournal(store))[0]!.reason, 'idle');
    });

    it('a queue place nobody acted on expires, told; acting keeps it', async () => {
      await onboard(store, 1, { gender: 'f', wants: 'f' });
      await onboard(store, 2, { gender: 'm', wants: 'm' });
      await find(1);
      await find(2);
      await sleep(250);
      await find(2); // "already searching" is acting
      await sleep(250);
      const swept = await store.upkeep.sweep(100);
      assert.equal(swept.queueExpired, 1);
      assert.equal((await store.profiles.view(1)).status, 'idle');
      assert.equal((await store.profiles.view(2)).status, 'queued');
      assert.deepEqual((await drain(store)).get(1), ['@searching', '@queueExpired']);
    });

    it('one holder of the lease at a time; it passes on when the holder is gone', async () => {
      assert.equal(await store.upkeep.holdLease('w1', 300), true);
      assert.equal(await store.upkeep.holdLease('w2', 300), false);
      assert.equal(await store.upkeep.holdLease('w1', 300), true, 'renewed');
      await sleep(400);
      assert.equal(await store.upkeep.holdLease('w2', 300), true, 'w1 stopped renewing');
      await store.upkeep.releaseLease('w2');
      assert.equal(await store.upkeep.holdLease('w1', 300), true);
    });

    it('counts who is online, chatting and waiting, and what happened', async () => {
      for (const u of [1, 2, 3]) await onboard(store, u);
      await find(1);
      await find(2);
      await find(3);
      await store.pairing.relay(text(1));
      const stats = await store.upkeep.stats(60_000);
      assert.equal(stats.online, 3);
      assert.equal(stats.chatting, 2);
      assert.equal(
        Object.values(stats.waiting).reduce((a, b) => a + b, 0),
        1,
      );
      assert.equal(Object.keys(stats.waiting).length, 2 * 3 * 2 * 2 * 5, 'every bucket');
      assert.equal(stats.counters['matches'], 1);
      assert.equal(stats.counters['messages'], 1);
      assert.ok(stats.owed >= 1);
      await drain(store);
      assert.equal((await store.upkeep.stats(60_000)).owed, 0);
      await store.pairing.stop({ chatId: 1, stamp: msg() });
      assert.equal((await store.upkeep.stats(60_000)).chatting, 0);
    });
  });
}

/** A broadcast: one at a time, paged, each message counted as delivered or not. */
export function broadcastContract(name: string, factory: StoreFactory): void {
  describe(`Broadcast contract: ${name}`, () => {
    const store = freshStore(factory);
    const call = { method: 'sendMessage' as const, params: { text: 'hello everyone' } };
    const admin = (stamp: Stamp | null = msg()) => ({ chatId: 1, stamp });
    /** Takes the lease as `owner` and queues a page from the cursor as it is now. */
    const page = async (chats: number[], cursor: number, last: boolean, owner = 'w1') => {
      await store.upkeep.holdLease(owner, 60_000);
      const after = (await store.broadcasts.status())!.cursor;
      return store.broadcasts.enqueue({ owner, after, cursor, chats, last });
    };
    const broadcastsTo = (got: Map<number, string[]>, chat: number) =>
      (got.get(chat) ?? []).filter((l) => l.startsWith('broadcast')).length;

    it('runs one at a time, counts what reached people, and tells the admin when done', async () => {
      assert.equal(await store.broadcasts.start(admin(), call, 3), 'started');
      assert.equal(await store.broadcasts.start(admin(), call, 3), 'busy', 'one at a time');
      assert.equal(await page([11, 12], 40, false), true);
      assert.equal(await page([13], 41, true), true);
      assert.equal(await store.broadcasts.check(60_000), 'running');
      const status = await store.broadcasts.status();
      assert.deepEqual(
        [status?.cursor, status?.queued, status?.allQueued],
        [41, 3, true],
        'the cursor lets another worker go on after a restart',
      );
      const batch = await store.outbox.claim(100, 5_000);
      assert.deepEqual(
        batch
          .filter((c) => c.item?.kind === 'broadcast')
          .map((c) => c.chatId)
          .sort(),
        [11, 12, 13],
      );
      await store.outbox.settle(
        batch.map((c) => ({ chatId: c.chatId, entryId: c.entryId, failed: c.chatId === 12 })),
        0,
        5_000,
      );
      assert.equal(await store.broadcasts.check(60_000), 'done');
      const done = await store.broadcasts.status();
      assert.deepEqual([done?.state, done?.sent, done?.failed], ['done', 2, 1]);
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@broadcastBusy', '@broadcastDone']);
      assert.equal(
        await store.broadcasts.start(admin(), call, 0),
        'started',
        'a new one may start',
      );
    });

    it('finishes when a user blocks the bot with its message still queued: not delivered', async () => {
      await store.broadcasts.start(admin(), call, 3);
      await page([11, 12, 13], 50, true);
      await store.pairing.botBlocked(12, membership());
      const got = await drain(store);
      assert.deepEqual(
        [11, 12, 13].map((c) => broadcastsTo(got, c)),
        [1, 0, 1],
      );
      assert.equal(await store.broadcasts.check(60_000), 'done');
      const done = await store.broadcasts.status();
      assert.deepEqual([done?.sent, done?.failed], [2, 1]);
    });

    it('a cancelled broadcast queues and sends nothing more; the admin is told, and may start again', async () => {
      await store.broadcasts.start(admin(), call, 4);
      await page([11, 12], 60, false);
      const first = await drain(store);
      assert.deepEqual(
        [11, 12].map((c) => broadcastsTo(first, c)),
        [1, 1],
      );
      await page([13], 61, false);
      assert.equal(await store.broadcasts.cancel(admin()), 'cancelled');
      const cancelled = await store.broadcasts.status();
      assert.deepEqual([cancelled?.state, cancelled?.sent, cancelled?.queued], ['cancelled', 2, 3]);
      assert.equal(await page([14], 62, true), false, 'no page after a cancel');
      const got = await drain(store);
      assert.equal(
        [11, 12, 13, 14].reduce((n, c) => n + broadcastsTo(got, c), 0),
        0,
        'what was still queued is not sent',
      );
      assert.deepEqual(got.get(1), ['@broadcastCancelled']);
      assert.equal(await store.broadcasts.check(60_000), 'cancelled');
      assert.equal(await store.broadcasts.cancel(admin()), 'not-running');
      assert.deepEqual((await drain(store)).get(1), ['@broadcastNotRunning']);
      assert.equal((await store.upkeep.stats(60_000)).owed, 0, 'nothing is left owed');
      assert.equal(await store.broadcasts.start(admin(), call, 2), 'started');
      assert.equal(await page([11, 12], 70, true), true);
      const again = await drain(store);
      assert.deepEqual(
        [11, 12].map((c) => broadcastsTo(again, c)),
        [1, 1],
      );
      assert.equal(await store.broadcasts.check(60_000), 'done');
    });

    it('a redelivered /broadcast or cancel starts or stops nothing', async () => {
      const stamp = msg();
      assert.equal(await store.broadcasts.start(admin(stamp), call, 1), 'started');
      await page([11], 80, true);
      await drain(store);
      assert.equal(await store.broadcasts.check(60_000), 'done');
      await drain(store);
      assert.equal(await store.broadcasts.start(admin(stamp), call, 1), 'duplicate');
      assert.equal((await store.broadcasts.status())?.state, 'done');
      await store.broadcasts.start(admin(), call, 1);
      const cancel = msg();
      assert.equal(await store.broadcasts.cancel(admin(cancel)), 'cancelled');
      assert.equal(await store.broadcasts.cancel(admin(cancel)), 'duplicate');
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@broadcastStarted', '@broadcastCancelled']);
    });

    it('a page is queued once: not by a holder whose lease passed on, nor from a cursor that moved', async () => {
      await store.broadcasts.start(admin(), call, 4);
      await store.upkeep.holdLease('w1', 60_000);
      // w1 reads the cursor, then stalls past its lease; w2 takes over and queues the page.
      const read = (await store.broadcasts.status())!.cursor;
      await store.upkeep.releaseLease('w1');
      const stale = { owner: 'w1', after: read, cursor: 90, chats: [11, 12], last: false };
      assert.equal(await page([11, 12], 90, false, 'w2'), true);
      assert.equal(await store.broadcasts.enqueue(stale), false, 'w1 no longer holds the lease');
      assert.equal(
        await store.broadcasts.enqueue({ ...stale, owner: 'w2' }),
        false,
        'the cursor moved on',
      );
      assert.equal(await page([13, 14], 91, true, 'w2'), true);
      const got = await drain(store);
      assert.deepEqual(
        [11, 12, 13, 14].map((c) => broadcastsTo(got, c)),
        [1, 1, 1, 1],
      );
      assert.equal((await store.broadcasts.status())?.queued, 4);
      assert.equal(await store.broadcasts.check(60_000), 'done');
    });
  });
}
