import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accepts, ADULT_RANGES, REPORT_REASONS, type Profile } from '@hamdam/domain';
import type { StateStore } from '../state-store.js';
import { finder, freshStore, msg, onboard, press, text, type StoreFactory } from './kit.js';

/** A small seeded generator: the same seed makes the same moves. */
function seeded(seed: number) {
  let s = seed >>> 0;
  const rand = (n: number): number => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return (s >>> 8) % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  return { rand, pick };
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

interface Seen {
  status: 'idle' | 'queued' | 'chatting';
  partner: number | null;
  profile: Profile;
}

/**
 * What the store must keep true whatever users do, checked after every move: no two waiting
 * users may meet (their profiles accept each other, neither blocked or reported the other,
 * they were not partners just now), every pair is mutual and accepted, and a Find that matches
 * takes the longest-waiting user it may meet. Random profiles crowd a few buckets, so that many
 * users a finder does not suit wait ahead of one it does.
 */
export function matchingInvariantContract(name: string, factory: StoreFactory): void {
  describe(`Matching never leaves two who may meet waiting: ${name}`, () => {
    // Long enough that every earlier partner stays a recent one for the whole walk, and no
    // report threshold bans anybody.
    const store = freshStore(factory, { recentPartnerMs: 3_600_000, reportThreshold: 1_000 });

    it('a man of 20 meets the woman who accepts him behind many who do not', async () => {
      const find = finder(store);
      for (let i = 0; i < 20; i++) {
        await onboard(store, 100 + i, { gender: 'f', wants: 'm', ageMin: 25, ageMax: 34 });
        await find(100 + i);
      }
      await onboard(store, 1, { gender: 'f', wants: 'm' });
      await find(1);
      await onboard(store, 2, { gender: 'm', wants: 'f', age: 20 });
      const two = await find(2);
      assert.ok(two.kind === 'matched' && two.partner === 1, `matched ${JSON.stringify(two)}`);
      await onboard(store, 3, { gender: 'm', wants: 'f', age: 21 });
      assert.equal((await find(3)).kind, 'queued', 'none of the twenty accepts 21');
      await onboard(store, 4, { gender: 'm', wants: 'f', age: 26 });
      const four = await find(4);
      assert.ok(four.kind === 'matched' && four.partner === 100, 'the first of them');
    });

    it('a finder who blocked many of a bucket still meets the one behind them', async () => {
      const find = finder(store);
      await onboard(store, 1, { gender: 'm', wants: 'f' });
      for (let i = 0; i < 20; i++) {
        const woman = 100 + i;
        await onboard(store, woman, { gender: 'f', wants: 'm' });
        await find(woman);
        assert.equal((await find(1)).kind, 'matched');
        await store.moderation.block({ chatId: 1, stamp: msg() });
        await find(woman);
      }
      await onboard(store, 2, { gender: 'f', wants: 'm' });
      await find(2);
      const one = await find(1);
      assert.ok(one.kind === 'matched' && one.partner === 2, `matched ${JSON.stringify(one)}`);
    });
  });

  describe(`Matching after every move of a random walk: ${name}`, () => {
    // Pages of one, so that a Find often reads on past users it may not meet.
    const store = freshStore(factory, {
      recentPartnerMs: 3_600_000,
      reportThreshold: 1_000,
      scanDepth: 1,
    });
    for (const seed of [11, 29]) {
      it(`random users and moves, seed ${seed}`, async () => {
        await walk(store, seed, 36, 260);
      });
    }
  });
}

async function walk(store: StateStore, seed: number, users: number, moves: number): Promise<void> {
  const { rand, pick } = seeded(seed);
  const find = finder(store);
  const chats = Array.from({ length: users }, (_, i) => 1_000 + i);
  const seen = new Map<number, Seen>();
  const apart = new Set<string>();
  const arrival = new Map<number, number>();
  let arrivals = 0;
  let matches = 0;
  let mostWaiting = 0;

  const look = async (chat: number) => {
    const view = await store.profiles.view(chat);
    const before = seen.get(chat);
    if (view.status === 'queued' && before?.status !== 'queued') arrival.set(chat, arrivals++);
    seen.set(chat, { status: view.status, partner: view.partner, profile: view.profile! });
  };
  const mayMeet = (a: number, b: number) =>
    a !== b && !apart.has(pairKey(a, b)) && accepts(seen.get(a)!.profile, seen.get(b)!.profile);

  for (const chat of chats) {
    // Most alike but for the accepted ages, so buckets hold many a finder does not suit.
    const adult = rand(8) > 0;
    const range = pick(ADULT_RANGES);
    await onboard(store, chat, {
      lang: pick(['en', 'en', 'en', 'fa'] as const),
      gender: pick(['m', 'f'] as const),
      age: adult ? pick([20, 27, 31, 31, 38, 52]) : pick([14, 16]),
      wants: pick(['m', 'f', 'any'] as const),
      ageMin: range.min,
      ageMax: range.max,
      sameLanguage: rand(5) === 0,
    });
    await look(chat);
  }

  for (let move = 0; move < moves; move++) {
    const me = pick(chats);
    const mine = seen.get(me)!;
    const oldPartner = mine.partner;
    const waitingBefore = chats.filter((c) => c !== me && seen.get(c)!.status === 'queued');
    const action = rand(10);
    let what: string;
    if (action < 5) {
      what = 'find';
      await find(me);
    } else if (action === 5) {
      what = 'next';
      await find(me, true);
    } else if (action === 6) {
      what = 'stop';
      await store.pairing.stop({ chatId: me, stamp: msg() });
    } else if (action === 7 && oldPartner !== null) {
      what = 'block or report';
      apart.add(pairKey(me, oldPartner));
      if (rand(2) === 0) await store.moderation.block({ chatId: me, stamp: msg() });
      else {
        await store.moderation.report({ chatId: me, stamp: msg() });
        const reason = pick(REPORT_REASONS);
        const chat = await questionChat(store, me);
        const r = await store.moderation.reportReason({
          chatId: me,
          stamp: press(),
          reason,
          chat,
          queryId: 'q',
        });
        assert.equal(r.kind, 'reported', `${me} reports chat ${chat}`);
      }
    } else {
      what = 'settings';
      await changeSomething(store, me, mine.profile, rand, pick);
    }

    await look(me);
    if (oldPartner !== null) await look(oldPartner);
    const now = seen.get(me)!;
    const context = `move ${move} (${what} by ${me})`;
    if (now.partner !== null && now.partner !== oldPartner) {
      const partner = now.partner;
      await look(partner);
      assert.equal(seen.get(partner)!.partner, me, `${context}: mutual`);
      assert.ok(waitingBefore.includes(partner), `${context}: ${partner} was waiting`);
      assert.ok(mayMeet(me, partner), `${context}: ${me} and ${partner} may meet`);
      const first = waitingBefore
        .filter((c) => mayMeet(me, c))
        .sort((a, b) => arrival.get(a)! - arrival.get(b)!)[0];
      assert.equal(partner, first, `${context}: the longest-waiting one it may meet`);
      apart.add(pairKey(me, partner));
      matches++;
    }
    if (move % 40 === 39) for (const chat of chats) await look(chat);
    const waiting = chats.filter((c) => seen.get(c)!.status === 'queued');
    for (const a of waiting)
      for (const b of waiting)
        if (a < b) assert.ok(!mayMeet(a, b), `${context}: ${a} and ${b} both wait`);
    mostWaiting = Math.max(mostWaiting, waiting.length);
  }
  assert.ok(matches >= 20 && mostWaiting >= 10, `a busy walk: ${matches}, ${mostWaiting}`);
}

/**
 * The chat a report question names, as its reason buttons carry it: read from what the bot owes
 * `chat` (every entry owed is taken and settled; nothing in a walk waits for them).
 */
async function questionChat(store: StateStore, chat: number): Promise<number> {
  let found: number | null = null;
  for (let batch = await store.outbox.claim(100, 5_000); batch.length > 0;) {
    for (const c of batch) {
      const ref = c.item?.kind === 'reply' ? c.item.ref : '';
      const asked = c.chatId === chat ? /[?&]c=(\d+)/.exec(ref) : null;
      if (asked) found = Number(asked[1]);
    }
    await store.outbox.settle(
      batch.map((c) => ({ chatId: c.chatId, entryId: c.entryId })),
      0,
      5_000,
    );
    batch = await store.outbox.claim(100, 5_000);
  }
  assert.ok(found !== null, `${chat} was asked why`);
  return found;
}

/** One change from Settings (or a new age), as a user would make it. */
async function changeSomething(
  store: StateStore,
  me: number,
  p: Profile,
  rand: (n: number) => number,
  pick: <T>(xs: readonly T[]) => T,
): Promise<void> {
  const change = (c: Parameters<StateStore['profiles']['change']>[0]['change']) =>
    store.profiles.change({
      chatId: me,
      stamp: press(),
      change: c,
      onboarding: false,
      queryId: 'q',
      messageId: null,
    });
  switch (rand(5)) {
    case 0:
      return void (await change({ field: 'wants', value: pick(['m', 'f', 'any'] as const) }));
    case 1: {
      const range = pick(ADULT_RANGES);
      return void (await change({ field: 'range', value: { min: range.min, max: range.max } }));
    }
    case 2:
      return void (await change({ field: 'sameLanguage', value: !p.sameLanguage }));
    case 3:
      return void (await change({ field: 'lang', value: p.lang === 'fa' ? 'en' : 'fa' }));
    default:
      if ((await store.profiles.askAge({ chatId: me, stamp: press(), queryId: 'q' })) !== 'asked')
        return;
      await store.pairing.relay(text(me, { ageAnswer: pick([16, 21, 29, 36, 52]) }));
  }
}
