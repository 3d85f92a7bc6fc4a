import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Claimed } from '../outbox.js';
import {
  drain,
  endedChats,
  finder,
  freshStore,
  membership,
  messageId,
  msg,
  onboard,
  readJournal,
  sleep,
  text,
  type StoreFactory,
} from './kit.js';

/** Pairs and what passes between them: the same behaviour on every engine. */
export function pairingContract(name: string, factory: StoreFactory): void {
  describe(`Pairing contract: ${name}`, () => {
    const store = freshStore(factory);
    const find = finder(store);

    it('queues the first user and pairs the second with them at once', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      assert.deepEqual(await find(1), { kind: 'queued', endedPartner: null, dropped: 0 });
      const matched = await find(2);
      assert.equal(matched.kind, 'matched');
      assert.equal(matched.kind === 'matched' && matched.partner, 1);
      assert.equal((await store.profiles.view(1)).status, 'chatting');
      assert.equal((await store.profiles.view(2)).partner, 1);
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched']);
      assert.deepEqual(got.get(2), ['@matched']);
    });

    it('answers a repeated find without changing anything', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      assert.deepEqual(await find(1), { kind: 'already-queued' });
      await find(2);
      assert.deepEqual(await find(2), { kind: 'already-chatting' });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@alreadySearching', '@matched']);
      assert.deepEqual(got.get(2), ['@matched', '@alreadyChatting']);
    });

    it('recognises a redelivered update and commits it only once', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      const first = text(1);
      assert.deepEqual(await store.pairing.relay(first), { kind: 'relayed', partner: 2 });
      assert.deepEqual(await store.pairing.relay(first), { kind: 'duplicate' });
      const older = {
        ...first,
        stamp: { queue: 'm' as const, updateId: first.stamp!.updateId - 1 },
      };
      assert.deepEqual(await store.pairing.relay(older), { kind: 'duplicate' });
      // Another Telegram queue (callback queries) has its own order.
      const other = { queue: 'c' as const, updateId: first.stamp!.updateId };
      assert.equal(await store.outbox.say({ chatId: 1, stamp: other, payload: '@help' }), 'said');
      const got = await drain(store);
      assert.deepEqual(got.get(2), ['@matched', `copy 1:${first.messageId}`]);
    });

    it('a forged update id far ahead does not silence the real updates after it', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      const real = text(1);
      await store.pairing.relay(real);
      const base = real.stamp!.updateId;
      const forged = text(1, { stamp: { queue: 'm', updateId: base + 1_000_000_000 } });
      assert.deepEqual(await store.pairing.relay(forged), { kind: 'relayed', partner: 2 });
      const next = text(1, { stamp: { queue: 'm', updateId: base + 5 } });
      assert.deepEqual(await store.pairing.relay(next), { kind: 'relayed', partner: 2 });
      assert.deepEqual(await store.pairing.relay(next), { kind: 'duplicate' });
    });

    it('relays only to the partner, and answers each user by where they are', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await onboard(store, 3);
      await onboard(store, 4);
      await find(1);
      await find(2);
      await find(3);
      const m = text(2);
      assert.deepEqual(await store.pairing.relay(m), { kind: 'relayed', partner: 1 });
      assert.deepEqual(await store.pairing.relay(text(3)), { kind: 'not-chatting' });
      assert.deepEqual(await store.pairing.relay(text(4)), { kind: 'not-chatting' });
      const cmd = text(4, { unknownCommand: true });
      assert.deepEqual(await store.pairing.relay(cmd), { kind: 'not-chatting' });
      // In a chat, a text that only looks like a command ("/etc/hosts is…") is passed on.
      const path = text(2, { unknownCommand: true });
      assert.deepEqual(await store.pairing.relay(path), { kind: 'relayed', partner: 1 });
      const got = await drain(store);
      assert.deepEqual(got.get(1), [
        '@searching',
        '@matched',
        `copy 2:${m.messageId}`,
        `copy 2:${path.messageId}`,
      ]);
      assert.deepEqual(got.get(2), ['@matched']);
      assert.deepEqual(got.get(3), ['@searching', '@alreadySearching']);
      assert.deepEqual(got.get(4), ['@notChatting', '@unknownCommand']);
    });

    it('refuses a contact with a notice and passes nothing on', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      assert.deepEqual(await store.pairing.relay(text(1, { refused: true })), { kind: 'refused' });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched', '@contactRefused']);
      assert.deepEqual(got.get(2), ['@matched']);
    });

    it('stop ends the chat for both, records it, and drops the copies still owed', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await drain(store);
      await store.pairing.relay(text(2));
      await store.pairing.relay(text(2));
      await store.pairing.relay(text(1));
      // Nothing sent yet: the flood (two copies to 1, one to 2) is still owed when 1 stops.
      const stopped = await store.pairing.stop({ chatId: 1, stamp: msg() });
      assert.deepEqual(stopped, { kind: 'ended', partner: 2, dropped: 3 });
      assert.equal((await store.profiles.view(1)).status, 'idle');
      assert.equal((await store.profiles.view(2)).status, 'idle');
      assert.deepEqual(await store.pairing.stop({ chatId: 1, stamp: msg() }), { kind: 'idle' });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@youEnded', '@notChatting']);
      assert.deepEqual(got.get(2), ['@partnerEnded']);
      const [ended] = endedChats(await readJournal(store));
      assert.deepEqual(
        [ended!.a, ended!.b, ended!.reason, ended!.messagesA, ended!.messagesB],
        [1, 2, 'stop', 1, 2],
      );
      assert.ok(ended!.at >= ended!.startedAt);
    });

    it('a chat records only the messages sent in it, not those of an earlier chat', async () => {
      for (const u of [1, 2, 3]) await onboard(store, u);
      await find(1);
      await find(2);
      await store.pairing.relay(text(1));
      await store.pairing.relay(text(1));
      await store.pairing.stop({ chatId: 2, stamp: msg() });
      await find(1);
      await find(3);
      await store.pairing.relay(text(3));
      await store.pairing.relay(text(1));
      await store.pairing.stop({ chatId: 3, stamp: msg() });
      const ended = endedChats(await readJournal(store));
      assert.deepEqual(
        ended.map((e) => [e.a, e.b, e.messagesA, e.messagesB]),
        [
          [2, 1, 0, 2],
          [3, 1, 1, 1],
        ],
      );
    });

    it("the bot's own notices go ahead of copies owed to the same chat", async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await drain(store);
      const m = text(2);
      await store.pairing.relay(m);
      await store.outbox.say({ chatId: 1, stamp: null, payload: '@help' });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@help', `copy 2:${m.messageId}`]);
    });

    it('stop while searching leaves the queue', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      assert.deepEqual(await store.pairing.stop({ chatId: 1, stamp: msg() }), {
        kind: 'left-queue',
      });
      assert.equal((await find(2)).kind, 'queued');
    });

    it('next ends the chat, tells the partner and does not pair the same two again at once', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await onboard(store, 3);
      await find(1);
      await find(2);
      assert.deepEqual(await find(2, true), { kind: 'queued', endedPartner: 1, dropped: 0 });
      assert.equal((await find(1)).kind, 'queued');
      const third = await find(3);
      assert.ok(third.kind === 'matched' && third.partner === 2, 'the longest waiting');
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@matched', '@partnerEnded', '@searching']);
    });

    it('never pairs a user twice when many search at once', async () => {
      const users = Array.from({ length: 21 }, (_, i) => 100 + i);
      for (const u of users) await onboard(store, u);
      const results = await Promise.all(users.map((u) => find(u)));
      const partnerOf = new Map<number, number>();
      for (const u of users) {
        const s = await store.profiles.view(u);
        if (s.status === 'chatting') partnerOf.set(u, s.partner!);
        else assert.equal(s.status, 'queued');
      }
      for (const [u, p] of partnerOf) assert.equal(partnerOf.get(p), u, `pair ${u}-${p} is mutual`);
      assert.equal(partnerOf.size, 20);
      assert.equal(results.filter((r) => r.kind === 'matched').length, 10);
    });

    it('a user who blocks the bot leaves the chat; the partner is told; nothing stays owed to them', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await store.outbox.say({ chatId: 1, stamp: null, payload: '@help' });
      await store.pairing.relay(text(2));
      const blocked = await store.pairing.botBlocked(1, membership());
      assert.deepEqual(blocked, { kind: 'ended', partner: 2, dropped: 1 });
      assert.deepEqual(await store.outbox.pending(1), { notices: 0, copies: 0 });
      const got = await drain(store);
      assert.equal(got.get(1), undefined);
      assert.deepEqual(got.get(2), ['@matched', '@partnerLeft']);
      const kinds = (await readJournal(store)).map((e) => e.kind);
      assert.ok(kinds.includes('chat-ended') && kinds.includes('bot-blocked'));
    });

    it('stop and block racing for one chat end it once', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      const [stopped, blocked] = await Promise.all([
        store.pairing.stop({ chatId: 1, stamp: msg() }),
        store.pairing.botBlocked(2, membership()),
      ]);
      assert.equal([stopped.kind, blocked.kind].filter((k) => k === 'ended').length, 1);
      assert.equal(endedChats(await readJournal(store)).length, 1);
      assert.equal((await store.profiles.view(1)).status, 'idle');
      assert.equal((await store.profiles.view(2)).status, 'idle');
    });

    it('mirrors edits onto the copy, wherever it landed', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      const m = text(1);
      await store.pairing.relay(m);
      const edit = { method: 'editMessageText' as const, params: { text: 'fixed' } };
      const id = m.messageId;
      assert.deepEqual(await store.pairing.edit({ chatId: 1, stamp: msg(), messageId: id, edit }), {
        kind: 'relayed',
        partner: 2,
      });
      // The edit is queued before the copy is sent; it is resolved when it is sent.
      const claimed: { label: string; resolved: number | null }[] = [];
      for (let round = 0; round < 10; round++) {
        const batch = await store.outbox.claim(10, 5_000);
        if (batch.length === 0) break;
        for (const c of batch) {
          if (c.chatId !== 2) {
            await store.outbox.ack(c.chatId, c.entryId);
            continue;
          }
          claimed.push({ label: c.item?.kind ?? 'none', resolved: c.resolvedId });
          const copies =
            c.item?.kind === 'copy' ? { from: 1, pairs: [[id, 555] as [number, number]] } : null;
          await store.outbox.settle(
            [{ chatId: 2, entryId: c.entryId, ...(copies ? { copies } : {}) }],
            0,
            5_000,
          );
        }
      }
      assert.deepEqual(claimed, [
        { label: 'reply', resolved: null },
        { label: 'copy', resolved: null },
        { label: 'edit', resolved: 555 },
      ]);
      assert.deepEqual(
        await store.pairing.edit({ chatId: 3, stamp: msg(), messageId: messageId(), edit }),
        { kind: 'not-chatting' },
      );
    });

    it('a reply arrives as a reply to the copy, both ways', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await drain(store);
      const a = text(1);
      await store.pairing.relay(a);
      await drain(store); // a's copy lands in 2's chat as 10000 + id
      const b = text(2, { replyTo: 10_000 + a.messageId });
      await store.pairing.relay(b);
      const [toOne] = await store.outbox.claim(10, 5_000);
      assert.equal(toOne!.chatId, 1);
      assert.equal(toOne!.resolvedId, a.messageId, "2 replied to a's copy: 1 sees a reply to a");
      await store.outbox.settle(
        [{ chatId: 1, entryId: toOne!.entryId, copies: { from: 2, pairs: [[b.messageId, 900]] } }],
        0,
        5_000,
      );
      const c = text(1, { replyTo: a.messageId });
      await store.pairing.relay(c);
      const [toTwo] = await store.outbox.claim(10, 5_000);
      assert.equal(
        toTwo!.resolvedId,
        10_000 + a.messageId,
        '1 replied to its own a: 2 sees a reply to its copy',
      );
      const unknown = text(1, { replyTo: 424242 });
      await store.outbox.ack(toTwo!.chatId, toTwo!.entryId);
      await store.pairing.relay(unknown);
      const [plain] = await store.outbox.claim(10, 5_000);
      assert.equal(plain!.resolvedId, null, 'a reply to an unknown message goes as a plain copy');
    });

    /** Claims (and acknowledges) until `count` entries were handed out, or a few seconds pass. */
    async function claimSome(count: number, leaseMs = 5_000): Promise<Claimed[]> {
      const got: Claimed[] = [];
      const deadline = Date.now() + 3_000;
      while (got.length < count && Date.now() < deadline) {
        for (const c of await store.outbox.claim(10, leaseMs)) {
          got.push(c);
          await store.outbox.ack(c.chatId, c.entryId);
        }
        if (got.length < count) await sleep(20);
      }
      return got;
    }

    it('a reply or an edit made while the copy it points at is being sent finds that copy', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await drain(store);
      const a = text(1);
      await store.pairing.relay(a);
      const [sending] = await store.outbox.claim(10, 5_000);
      assert.equal(sending!.chatId, 2);
      // Telegram shows the copy (as 700) before its sender hears back: 2 answers it at once,
      // and 1 corrects a.
      const b = text(2, { replyTo: 700 });
      await store.pairing.relay(b);
      const edit = { method: 'editMessageText' as const, params: { text: 'fixed' } };
      await store.pairing.edit({ chatId: 1, stamp: msg(), messageId: a.messageId, edit });
      assert.deepEqual(
        await store.outbox.claim(10, 5_000),
        [],
        'neither is handed out before the copy is settled',
      );
      await store.outbox.settle(
        [
          {
            chatId: 2,
            entryId: sending!.entryId,
            copies: { from: 1, pairs: [[a.messageId, 700]] },
          },
        ],
        0,
        5_000,
      );
      const got = await claimSome(2);
      assert.deepEqual(
        got.map((c) => [c.chatId, c.item?.kind, c.resolvedId]).sort(),
        [
          [1, 'copy', a.messageId],
          [2, 'edit', 700],
        ],
        "1 sees a reply to a; 2's copy of a is edited",
      );
    });

    it('a reply waits at most one lease for a copy that is never settled', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await drain(store);
      await store.pairing.relay(text(1));
      const [sending] = await store.outbox.claim(10, 400);
      assert.equal(sending!.chatId, 2);
      await store.pairing.relay(text(2, { replyTo: 700 }));
      assert.deepEqual(await store.outbox.claim(10, 400), [], 'the reply waits');
      // The copy's sender is gone: its entry comes back after the lease and is never settled.
      const toOne = (await claimSome(2, 400)).filter((c) => c.chatId === 1);
      assert.equal(toOne.length, 1, 'the reply went after all');
      assert.equal(toOne[0]!.resolvedId, null, 'as a plain copy');
    });

    it('a reply to a message it cannot find goes at once while nothing is being sent to the partner', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await drain(store);
      await store.pairing.relay(text(1));
      const [sending] = await store.outbox.claim(10, 5_000);
      await store.outbox.ack(2, sending!.entryId);
      await store.pairing.relay(text(2, { replyTo: 424242 }));
      const [plain] = await store.outbox.claim(10, 5_000);
      assert.equal(plain!.chatId, 1);
      assert.equal(plain!.resolvedId, null);
    });
  });
}
