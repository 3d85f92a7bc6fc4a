import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replyRef } from '@hamdam/domain';
import {
  drain,
  finder,
  freshStore,
  msg,
  onboard,
  press,
  readJournal,
  sleep,
  text,
  type StoreFactory,
} from './kit.js';

/** Reports, blocks, bans and flood control. */
export function moderationContract(name: string, factory: StoreFactory): void {
  describe(`Moderation contract: ${name}`, () => {
    const store = freshStore(factory, { reportThreshold: 2, banRetoldMs: 300 });
    const find = finder(store);
    const pairUp = async (a: number, b: number) => {
      await find(a);
      await find(b);
      assert.equal((await store.profiles.view(a)).partner, b);
      await drain(store);
    };
    // The reason's button names the chat it was asked about; chats are numbered from 1 in each
    // fresh store, in the order they start.
    const reason = (chatId: number, chat: number) =>
      store.moderation.reportReason({
        chatId,
        stamp: press(),
        reason: 'abuse',
        chat,
        queryId: 'q',
      });

    it('/report ends the chat at once, asks why, and records the report with the reason', async () => {
      for (const u of [1, 2]) await onboard(store, u);
      await pairUp(1, 2);
      assert.deepEqual(await store.moderation.report({ chatId: 1, stamp: msg() }), {
        kind: 'asked',
        dropped: 0,
      });
      assert.equal((await store.profiles.view(2)).status, 'idle');
      assert.deepEqual(await reason(1, 1), { kind: 'reported', reportedBanned: false });
      assert.deepEqual(await reason(1, 1), { kind: 'again' }, 'one report per reporter');
      const got = await drain(store);
      assert.deepEqual(got.get(1), [
        '@youEnded',
        '@reportAsk',
        '@settingsSaved',
        '@reportThanks',
        '@settingsSaved',
        '@reportThanks',
      ]);
      assert.deepEqual(got.get(2), ['@partnerLeft']);
      const reports = (await readJournal(store)).filter((e) => e.kind === 'report');
      assert.equal(reports.length, 1);
      assert.ok(
        reports[0]!.kind === 'report' && reports[0]!.reporter === 1 && reports[0]!.reported === 2,
      );
      // The two never meet again.
      await find(1);
      assert.equal((await find(2)).kind, 'queued');
    });

    it('the last partner can be reported after the chat; nobody else', async () => {
      for (const u of [1, 2]) await onboard(store, u);
      assert.deepEqual(await store.moderation.report({ chatId: 1, stamp: msg() }), {
        kind: 'nothing',
      });
      assert.deepEqual(await reason(1, 0), { kind: 'expired' });
      await pairUp(1, 2);
      await store.pairing.stop({ chatId: 2, stamp: msg() });
      assert.equal((await store.moderation.report({ chatId: 1, stamp: msg() })).kind, 'asked');
      assert.deepEqual(await reason(1, 1), { kind: 'reported', reportedBanned: false });
    });

    it('a reason reports the partner of the chat it was asked about, not a later one', async () => {
      for (const u of [1, 2, 3]) await onboard(store, u);
      await pairUp(1, 2);
      await store.moderation.report({ chatId: 1, stamp: msg() });
      await pairUp(1, 3);
      await store.pairing.stop({ chatId: 1, stamp: msg() });
      assert.deepEqual(await reason(1, 2), { kind: 'expired' }, 'no question about chat 2');
      assert.deepEqual(await reason(1, 1), { kind: 'reported', reportedBanned: false });
      const reports = (await readJournal(store)).filter((e) => e.kind === 'report');
      assert.deepEqual(
        reports.map((e) => e.kind === 'report' && e.reported),
        [2],
      );
      // A later /report asks about chat 2; the question about chat 1 is no longer valid.
      await store.moderation.report({ chatId: 1, stamp: msg() });
      assert.deepEqual(await reason(1, 1), { kind: 'expired' });
      assert.deepEqual(await reason(1, 2), { kind: 'reported', reportedBanned: false });
    });

    it('enough distinct reporters ban the reported user, who is told and can do nothing', async () => {
      for (const u of [1, 2, 3, 4]) await onboard(store, u);
      await pairUp(1, 2);
      await store.moderation.report({ chatId: 1, stamp: msg() });
      await reason(1, 1);
      await pairUp(3, 2);
      await store.moderation.report({ chatId: 3, stamp: msg() });
      assert.deepEqual(await reason(3, 2), { kind: 'reported', reportedBanned: true });
      const view = await store.profiles.view(2);
      assert.ok(typeof view.bannedUntil === 'number' && view.bannedUntil > Date.now());
      assert.deepEqual(await find(2), { kind: 'banned' });
      assert.deepEqual(await store.pairing.relay(text(2)), { kind: 'banned' });
      const got = await drain(store);
      assert.equal(got.get(2)!.filter((l) => l === '@banned').length, 1, 'told once, reports');
      assert.ok(!got.get(2)!.some((l) => l.includes('ByAdmin')));
      const bans = (await readJournal(store)).filter((e) => e.kind === 'ban');
      assert.equal(bans.length, 1);
      assert.ok(await store.moderation.unban(2, 99));
      assert.equal((await find(2)).kind, 'queued');
      assert.equal(await store.moderation.unban(2, 99), false, 'nothing to lift');
    });

    it('an admin ban ends the chat or queue place at once; a ban for good has no end', async () => {
      for (const u of [1, 2, 3]) await onboard(store, u);
      await pairUp(1, 2);
      await find(3);
      await store.moderation.ban(1, null, 42);
      await store.moderation.ban(3, Date.now() + 60_000, 42);
      assert.equal((await store.profiles.view(2)).status, 'idle');
      assert.equal((await store.profiles.view(1)).bannedUntil, 'forever');
      assert.equal((await store.profiles.view(3)).status, 'idle');
      const got = await drain(store);
      assert.deepEqual(got.get(2), ['@partnerLeft']);
      assert.ok(got.get(1)!.includes('@bannedForeverByAdmin'), 'told an admin banned them');
      assert.ok(got.get(3)!.includes('@bannedByAdmin'));
      const ban = (await readJournal(store)).find((e) => e.kind === 'ban' && e.chat === 1);
      assert.ok(ban && ban.kind === 'ban' && ban.until === null && ban.by === 42);
    });

    it('a banned user who presses Find is told again after a while; other steps stay quiet', async () => {
      await onboard(store, 1);
      await store.moderation.ban(1, null, 42);
      await drain(store);
      assert.deepEqual(await find(1), { kind: 'banned' });
      assert.equal((await drain(store)).get(1), undefined, 'just told by the ban itself');
      await sleep(400);
      assert.deepEqual(await store.pairing.relay(text(1)), { kind: 'banned' });
      assert.equal((await drain(store)).get(1), undefined, 'a message: at most hourly');
      assert.deepEqual(await find(1), { kind: 'banned' });
      assert.deepEqual((await drain(store)).get(1), ['@bannedForeverByAdmin']);
    });

    it('/block ends the chat and keeps the two apart', async () => {
      for (const u of [1, 2]) await onboard(store, u);
      assert.deepEqual(await store.moderation.block({ chatId: 1, stamp: msg() }), {
        kind: 'nothing',
      });
      await pairUp(1, 2);
      assert.deepEqual(await store.moderation.block({ chatId: 2, stamp: msg() }), {
        kind: 'blocked',
        dropped: 0,
      });
      const got = await drain(store);
      assert.ok(got.get(2)!.includes('@blockDone'));
      assert.ok(got.get(1)!.includes('@partnerLeft'));
      assert.ok((await readJournal(store)).some((e) => e.kind === 'block'));
    });
  });

  describe(`Flood control: ${name}`, () => {
    // Onboarding (/start, language, gender, age) and Find take five of the eight.
    const store = freshStore(factory, { floodBurst: 8, floodPerMinute: 20, outboxCap: 4 });
    const find = finder(store);
    const chatting = async () => {
      for (const u of [1, 2]) await onboard(store, u);
      await find(1);
      await find(2);
      await drain(store);
    };

    it('drops messages over the burst, tells the sender once, and lets them go on later', async () => {
      await chatting();
      const results = [];
      for (let i = 0; i < 6; i++) results.push((await store.pairing.relay(text(1))).kind);
      assert.deepEqual(results, ['relayed', 'relayed', 'relayed', 'flooded', 'flooded', 'flooded']);
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@slowDown']);
      assert.equal(got.get(2)!.length, 3);
      await new Promise((r) => setTimeout(r, 3_100));
      assert.equal((await store.pairing.relay(text(1))).kind, 'relayed');
      // Still the same burst: a token won back is not a new burst to be told about.
      assert.equal((await store.pairing.relay(text(1))).kind, 'flooded');
      assert.deepEqual((await drain(store)).get(1), undefined, 'told once a burst');
    });

    it('one budget covers commands, button presses and messages; a press is still answered', async () => {
      await onboard(store, 1);
      const kinds = [];
      for (let i = 0; i < 2; i++) {
        kinds.push(
          (await find(1)).kind,
          (await store.pairing.stop({ chatId: 1, stamp: msg() })).kind,
        );
      }
      assert.deepEqual(kinds, ['queued', 'left-queue', 'queued', 'left-queue']);
      assert.deepEqual(await find(1), { kind: 'flooded' });
      assert.equal((await store.profiles.view(1)).status, 'idle', 'a flooded Find does nothing');
      const change = await store.profiles.change({
        chatId: 1,
        stamp: press(),
        change: { field: 'wants', value: 'f' },
        onboarding: false,
        queryId: 'q9',
        messageId: null,
      });
      assert.deepEqual(change, { kind: 'flooded' });
      assert.equal((await store.profiles.view(1)).profile?.wants, 'any');
      assert.equal(
        await store.outbox.say({ chatId: 1, stamp: msg(), payload: replyRef('help') }),
        'flooded',
      );
      assert.deepEqual(await store.moderation.report({ chatId: 1, stamp: msg() }), {
        kind: 'flooded',
      });
      assert.deepEqual(await store.pairing.relay(text(1)), { kind: 'flooded' });
      const got = await drain(store);
      assert.deepEqual(
        got.get(1)?.filter((l) => l !== '@searching' && l !== '@searchCancelled'),
        ['@slowDown', '@floodAnswer'],
        'one slow down a burst; the press answered',
      );
      // What the bot does on its own after a step (no update) costs nothing.
      assert.equal(
        await store.outbox.say({ chatId: 1, stamp: null, payload: replyRef('help') }),
        'said',
      );
    });

    it('an album is one message: a greeting and ten photos all pass, and the next is cut', async () => {
      await chatting();
      const greeting = text(1);
      assert.equal((await store.pairing.relay(greeting)).kind, 'relayed');
      const parts = Array.from({ length: 10 }, () => text(1, { mediaGroup: 'g10' }));
      const kinds = [];
      for (const p of parts) kinds.push((await store.pairing.relay(p)).kind);
      assert.deepEqual(kinds, Array(10).fill('relayed'));
      assert.equal((await store.pairing.relay(text(1))).kind, 'relayed');
      assert.equal((await store.pairing.relay(text(1))).kind, 'flooded');
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 3 });
    });

    it('an album over the budget is cut whole, with one slow down; outside a chat it is answered once', async () => {
      await chatting();
      for (let i = 0; i < 3; i++) await store.pairing.relay(text(1));
      const kinds = [];
      for (let i = 0; i < 4; i++) {
        kinds.push((await store.pairing.relay(text(1, { mediaGroup: 'late' }))).kind);
      }
      assert.deepEqual(kinds, Array(4).fill('flooded'));
      await store.pairing.stop({ chatId: 2, stamp: msg() });
      await drain(store);
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push((await store.pairing.relay(text(2, { mediaGroup: 'after' }))).kind);
      }
      assert.deepEqual(answers, Array(5).fill('not-chatting'));
      const got = await drain(store);
      assert.deepEqual(got.get(2), ['@notChatting']);
    });
  });

  describe(`The notices cap: ${name}`, () => {
    const store = freshStore(factory, { noticeCap: 5 });

    it('a chat is owed at most noticeCap notices; past it new ones are dropped', async () => {
      for (let i = 0; i < 8; i++) {
        await store.outbox.say({ chatId: 1, stamp: msg(), payload: replyRef('help') });
      }
      assert.deepEqual(await store.outbox.pending(1), { notices: 5, copies: 0 });
      await drain(store);
      await store.outbox.say({ chatId: 1, stamp: msg(), payload: replyRef('help') });
      assert.deepEqual(await store.outbox.pending(1), { notices: 1, copies: 0 }, 'room again');
    });
  });

  describe(`The outbox cap: ${name}`, () => {
    const store = freshStore(factory, { floodBurst: 100, outboxCap: 4 });
    const find = finder(store);

    it('caps the copies one chat is owed, and tells the sender once', async () => {
      for (const u of [1, 2]) await onboard(store, u);
      await find(1);
      await find(2);
      await drain(store);
      const kinds = [];
      for (let i = 0; i < 6; i++) kinds.push((await store.pairing.relay(text(1))).kind);
      assert.deepEqual(kinds, ['relayed', 'relayed', 'relayed', 'relayed', 'capped', 'capped']);
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 4 });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@partnerBehind']);
      assert.equal(got.get(2)!.length, 4);
      assert.equal((await store.pairing.relay(text(1))).kind, 'relayed', 'room again once sent');
    });

    it('an edit is one more entry: it obeys the cap like a new message', async () => {
      for (const u of [1, 2]) await onboard(store, u);
      await find(1);
      await find(2);
      await drain(store);
      const first = text(1);
      await store.pairing.relay(first);
      for (let i = 0; i < 3; i++) await store.pairing.relay(text(1));
      const edit = (messageId: number) =>
        store.pairing.edit({
          chatId: 1,
          stamp: msg(),
          messageId,
          edit: { method: 'editMessageText', params: { text: 'fixed' } },
        });
      assert.deepEqual(await edit(first.messageId), { kind: 'capped' });
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 4 });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@partnerBehind']);
      assert.equal((await edit(first.messageId)).kind, 'relayed', 'room again once sent');
    });

    it("an album's later parts join its entry even when the cap is reached", async () => {
      for (const u of [1, 2]) await onboard(store, u);
      await find(1);
      await find(2);
      await drain(store);
      for (let i = 0; i < 3; i++) await store.pairing.relay(text(1));
      const kinds = [];
      for (let i = 0; i < 3; i++) {
        kinds.push((await store.pairing.relay(text(1, { mediaGroup: 'full' }))).kind);
      }
      assert.deepEqual(kinds, ['relayed', 'relayed', 'relayed']);
      assert.equal((await store.pairing.relay(text(1))).kind, 'capped');
      assert.deepEqual(await store.outbox.pending(2), { notices: 0, copies: 4 });
    });
  });
}
