import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accepts, type Profile } from '@hamdam/domain';
import {
  ADULT,
  drain,
  finder,
  freshStore,
  msg,
  onboard,
  press,
  sleep,
  type StoreFactory,
} from './kit.js';

/** Who meets whom: filters, order, and matching again when it becomes possible. */
export function matchingContract(name: string, factory: StoreFactory): void {
  describe(`Matching contract: ${name}`, () => {
    const store = freshStore(factory);
    const find = finder(store);
    const partnerOf = async (chatId: number) => (await store.profiles.view(chatId)).partner;

    it('pairs only compatible profiles, the longest waiting first', async () => {
      await onboard(store, 1, { gender: 'm', wants: 'm' });
      await onboard(store, 2, { gender: 'f', wants: 'm' });
      await onboard(store, 3, { gender: 'f', wants: 'any' });
      await onboard(store, 4, { gender: 'm', wants: 'any' });
      await onboard(store, 5, { gender: 'f', wants: 'm' });
      // No two of 1, 2, 3 accept each other.
      for (const u of [1, 2, 3]) assert.equal((await find(u)).kind, 'queued');
      // 4 accepts and is accepted by all three: the longest waiting wins.
      const four = await find(4);
      assert.ok(four.kind === 'matched' && four.partner === 1);
      // 5 wants a man; the only one is taken, and 2 and 3 are women.
      assert.equal((await find(5)).kind, 'queued');
    });

    it('honours age ranges both ways, and keeps minors with minors', async () => {
      await onboard(store, 1, { age: 40, ageMin: 35, ageMax: 99 });
      await onboard(store, 2, { age: 22, ageMin: 18, ageMax: 99 });
      await onboard(store, 3, { age: 16 });
      await onboard(store, 4, { age: 38, ageMin: 18, ageMax: 24 });
      for (const u of [1, 2, 3]) assert.equal((await find(u)).kind, 'queued');
      // 4 (38) wants 18-24: 2 (22) fits and accepts 38; 1 (40) is outside 4's range.
      const four = await find(4);
      assert.ok(four.kind === 'matched' && four.partner === 2);
      await onboard(store, 5, { age: 15 });
      const five = await find(5);
      assert.ok(five.kind === 'matched' && five.partner === 3, 'minors meet minors');
      await onboard(store, 6, { age: 18 });
      assert.equal(
        (await find(6)).kind,
        'queued',
        '18 is too young for 1, and never meets a minor',
      );
    });

    it('a same-language filter keeps languages apart; "any" mixes them', async () => {
      await onboard(store, 1, { lang: 'fa', sameLanguage: true });
      await onboard(store, 2, { lang: 'en' });
      await onboard(store, 3, { lang: 'en', sameLanguage: true });
      await find(1);
      await find(2);
      const three = await find(3);
      assert.ok(three.kind === 'matched' && three.partner === 2);
      await onboard(store, 4, { lang: 'fa' });
      const four = await find(4);
      assert.ok(four.kind === 'matched' && four.partner === 1);
    });

    it('pairs exactly as the domain rule says, for many random profiles', async () => {
      // A seeded walk through the profile space: every pairing made must be mutual and
      // accepted, and no two users left waiting may accept each other.
      let seed = 7;
      const rand = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed % n;
      };
      const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
      const profiles = new Map<number, Profile>();
      for (let i = 0; i < 40; i++) {
        const age = pick([15, 16, 19, 23, 27, 31, 38, 47, 60]);
        const range = pick([
          { ageMin: 18, ageMax: 99 },
          { ageMin: 18, ageMax: 34 },
          { ageMin: 25, ageMax: 44 },
          { ageMin: 35, ageMax: 99 },
        ]);
        const wanted: Profile = {
          ...ADULT,
          lang: pick(['fa', 'en'] as const),
          gender: pick(['m', 'f'] as const),
          age,
          wants: pick(['m', 'f', 'any'] as const),
          ...(age < 18 ? { ageMin: 13, ageMax: 17 } : range),
          sameLanguage: rand(2) === 0,
        };
        profiles.set(500 + i, await onboard(store, 500 + i, wanted));
      }
      for (const chat of profiles.keys()) await find(chat);
      const waiting: number[] = [];
      for (const [chat, p] of profiles) {
        const partner = await partnerOf(chat);
        if (partner === null) waiting.push(chat);
        else {
          assert.equal(await partnerOf(partner), chat, 'mutual');
          assert.ok(accepts(p, profiles.get(partner)!), `${chat} and ${partner} accept each other`);
        }
      }
      for (const a of waiting)
        for (const b of waiting)
          if (a < b)
            assert.ok(!accepts(profiles.get(a)!, profiles.get(b)!), `${a} and ${b} both wait`);
      assert.ok(waiting.length < profiles.size, 'some pairs formed');
    });

    it('a waiting user whose new settings fit someone waiting is matched at once', async () => {
      await onboard(store, 1, { gender: 'f', wants: 'f' });
      await onboard(store, 2, { gender: 'm', wants: 'any' });
      await find(1);
      await find(2);
      assert.equal((await store.profiles.view(1)).status, 'queued');
      const changed = await store.profiles.change({
        chatId: 1,
        stamp: press(),
        change: { field: 'wants', value: 'any' },
        onboarding: false,
        queryId: 'q',
        messageId: null,
      });
      assert.deepEqual(changed, { kind: 'matched', partner: 2 });
      const got = await drain(store);
      assert.deepEqual(got.get(1), ['@searching', '@settingsSaved', '@matched']);
    });

    it('a waiting user keeps their place in line when their settings move them', async () => {
      await onboard(store, 1, { gender: 'f', wants: 'm' });
      await onboard(store, 2, { gender: 'f', wants: 'm' });
      await find(1);
      await find(2);
      const before = (await store.profiles.view(1)).queuedIn;
      await store.profiles.change({
        chatId: 1,
        stamp: press(),
        change: { field: 'sameLanguage', value: true },
        onboarding: false,
        queryId: 'q',
        messageId: null,
      });
      const after = (await store.profiles.view(1)).queuedIn;
      assert.notEqual(before, after);
      await onboard(store, 3, { gender: 'm' });
      const three = await find(3);
      assert.ok(three.kind === 'matched' && three.partner === 1, '1 was there before 2');
    });

    it('never pairs across a block, in either direction', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await store.moderation.block({ chatId: 2, stamp: msg() });
      await find(1);
      assert.equal((await find(2)).kind, 'queued');
      await onboard(store, 3);
      const three = await find(3);
      assert.ok(three.kind === 'matched' && three.partner === 1);
    });
  });

  describe(`Matching when it becomes possible: ${name}`, () => {
    const store = freshStore(factory, { recentPartnerMs: 300, widenAfterMs: 300 });
    const find = finder(store);

    it('two users skipped as recent partners are matched once the window ends', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      await find(1, true);
      assert.equal((await find(2)).kind, 'queued');
      await sleep(350);
      const swept = await store.upkeep.sweep(100);
      assert.equal(swept.matched, 1);
      assert.equal((await store.profiles.view(1)).partner, 2);
    });

    it('a long wait widens age and language filters, never gender', async () => {
      await onboard(store, 1, { lang: 'fa', sameLanguage: true, ageMin: 18, ageMax: 24, age: 22 });
      await onboard(store, 2, { lang: 'en', age: 40, gender: 'f', wants: 'm' });
      await onboard(store, 3, { gender: 'f', wants: 'f', age: 22 });
      await find(1);
      await find(2);
      await find(3);
      assert.equal((await store.profiles.view(1)).status, 'queued');
      await sleep(350);
      await store.upkeep.sweep(100);
      assert.equal((await store.profiles.view(1)).partner, 2, 'age and language widened');
      assert.equal((await store.profiles.view(3)).status, 'queued', 'gender is never widened');
    });
  });
}
