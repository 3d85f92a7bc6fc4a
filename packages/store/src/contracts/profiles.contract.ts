import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADULT,
  changer,
  drain,
  finder,
  freshStore,
  msg,
  onboard,
  press,
  readJournal,
  text,
  type StoreFactory,
} from './kit.js';

/** Onboarding and Settings. */
export function profilesContract(name: string, factory: StoreFactory): void {
  describe(`Profiles contract: ${name}`, () => {
    const store = freshStore(factory);
    const find = finder(store);
    const change = changer(store, 'q1');

    it('asks language (offering Telegram’s), gender and age, once; a bad age is asked again', async () => {
      assert.deepEqual(await store.pairing.start({ chatId: 1, stamp: msg(), langHint: 'fa' }), {
        kind: 'onboarding',
      });
      assert.equal((await store.profiles.view(1)).lang, 'fa', 'replies render in Persian at once');
      assert.deepEqual(await change(1, { field: 'lang', value: 'en' }, true), { kind: 'asked' });
      assert.deepEqual(await change(1, { field: 'gender', value: 'f' }, true), { kind: 'asked' });
      assert.deepEqual(await store.pairing.relay(text(1, { ageAnswer: 'bad' })), {
        kind: 'profile',
        outcome: 'asked',
      });
      assert.deepEqual(await store.pairing.relay(text(1, { ageAnswer: 27 })), {
        kind: 'profile',
        outcome: 'done',
      });
      const view = await store.profiles.view(1);
      assert.deepEqual(view.profile, {
        lang: 'en',
        gender: 'f',
        age: 27,
        wants: 'any',
        ageMin: 18,
        ageMax: 99,
        sameLanguage: false,
        protect: false,
      });
      const got = await drain(store);
      assert.deepEqual(got.get(1), [
        '@askLanguage',
        '@settingsSaved',
        '@askGender',
        '@settingsSaved',
        '@askAge',
        '@ageInvalid',
        '@profileDone',
      ]);
      assert.deepEqual(await store.pairing.start({ chatId: 1, stamp: msg(), langHint: 'fa' }), {
        kind: 'welcome',
      });
      const profile = (await readJournal(store)).find((e) => e.kind === 'profile');
      assert.ok(
        profile && profile.kind === 'profile' && profile.age === 27 && profile.gender === 'f',
      );
    });

    it('asks the next question in place of the one its button was on', async () => {
      await store.pairing.start({ chatId: 1, stamp: msg(), langHint: 'en' });
      assert.deepEqual(await change(1, { field: 'lang', value: 'fa' }, true, 41), {
        kind: 'asked',
      });
      assert.deepEqual(await change(1, { field: 'gender', value: 'm' }, true, 41), {
        kind: 'asked',
      });
      const got = await drain(store, true);
      assert.deepEqual(got.get(1), [
        '@askLanguage?lang=en',
        '@settingsSaved?q=q1',
        '@askGender?e=41',
        '@settingsSaved?q=q1',
        '@askAge?e=41',
      ]);
    });

    it('Find before onboarding starts it, and runs when it ends', async () => {
      await onboard(store, 2);
      await find(2);
      assert.equal((await find(1)).kind, 'onboarding');
      await change(1, { field: 'lang', value: 'en' }, true);
      // Any worker continues: the state is in the store, and an interruption resumes it.
      assert.deepEqual(await store.pairing.relay(text(1)), { kind: 'onboarding' });
      await change(1, { field: 'gender', value: 'm' }, true);
      assert.deepEqual(await store.pairing.relay(text(1, { ageAnswer: 33 })), {
        kind: 'profile',
        outcome: 'matched',
      });
      assert.equal((await store.profiles.view(1)).partner, 2);
    });

    it('a text that is not an age is not taken for one, and an age needs the question', async () => {
      await onboard(store, 1);
      assert.deepEqual(await store.pairing.relay(text(1, { ageAnswer: 44 })), {
        kind: 'not-chatting',
      });
      assert.equal((await store.profiles.view(1)).profile?.age, 30, 'nothing was asked');
      assert.equal(
        await store.profiles.askAge({ chatId: 1, stamp: press(), queryId: 'q' }),
        'asked',
      );
      assert.deepEqual(await store.pairing.relay(text(1, { ageAnswer: 16 })), {
        kind: 'profile',
        outcome: 'saved',
      });
      const view = await store.profiles.view(1);
      assert.deepEqual(
        [view.profile?.age, view.profile?.ageMin, view.profile?.ageMax],
        [16, 13, 17],
      );
    });

    it('age cannot change during a chat; everything else can, for the next match', async () => {
      await onboard(store, 1);
      await onboard(store, 2);
      await find(1);
      await find(2);
      assert.equal(
        await store.profiles.askAge({ chatId: 1, stamp: press(), queryId: 'q' }),
        'refused',
      );
      assert.deepEqual(await change(1, { field: 'protect', value: true }), { kind: 'saved' });
      assert.equal((await store.profiles.view(1)).profile?.protect, true);
    });

    it('a range is for adults only; a range button of a minor changes nothing', async () => {
      await onboard(store, 1, { age: 15 });
      await change(1, { field: 'range', value: { min: 25, max: 34 } });
      const view = await store.profiles.view(1);
      assert.deepEqual([view.profile?.ageMin, view.profile?.ageMax], [13, 17]);
    });

    it('a redelivered button press changes nothing twice', async () => {
      await onboard(store, 1);
      const stamp = press();
      const c = { field: 'wants' as const, value: 'f' as const };
      const first = await store.profiles.change({
        chatId: 1,
        stamp,
        change: c,
        onboarding: false,
        queryId: 'q',
        messageId: null,
      });
      assert.deepEqual(first, { kind: 'saved' });
      assert.deepEqual(
        await store.profiles.change({
          chatId: 1,
          stamp,
          change: c,
          onboarding: false,
          queryId: 'q',
          messageId: null,
        }),
        { kind: 'duplicate' },
      );
    });
  });
}

/** Rebuilding a user the store lost, from what Postgres saved. */
export function restoreContract(name: string, factory: StoreFactory): void {
  describe(`Restoring users: ${name}`, () => {
    const store = freshStore(factory);
    const saved = {
      profile: { ...ADULT, lang: 'fa' as const, gender: 'f' as const, age: 33 },
      apart: [2],
      bannedUntil: null,
      bannedBy: null,
    };

    it('rebuilds a lost user, who can find at once and still never meets whom they blocked', async () => {
      assert.equal(await store.profiles.restore(1, saved), true);
      assert.deepEqual((await store.profiles.view(1)).profile, saved.profile);
      await onboard(store, 2);
      await onboard(store, 3);
      await store.pairing.find({ chatId: 2, stamp: msg(), next: false, langHint: 'en' });
      await store.pairing.find({ chatId: 1, stamp: msg(), next: false, langHint: 'fa' });
      assert.equal((await store.profiles.view(1)).status, 'queued', 'kept apart from 2');
      await store.pairing.stop({ chatId: 2, stamp: msg() });
      const three = await store.pairing.find({
        chatId: 3,
        stamp: msg(),
        next: false,
        langHint: 'en',
      });
      assert.ok(three.kind === 'matched' && three.partner === 1);
    });

    it('keeps apart both ways: whom a restored user reported or blocked never finds them', async () => {
      await onboard(store, 2);
      await store.profiles.restore(1, saved);
      await store.pairing.find({ chatId: 1, stamp: msg(), next: false, langHint: 'fa' });
      const two = await store.pairing.find({
        chatId: 2,
        stamp: msg(),
        next: false,
        langHint: 'en',
      });
      assert.equal(two.kind, 'queued', '2 still knows nothing of 1, yet does not meet them');
      await store.profiles.restore(2, { ...saved, apart: [] });
      assert.equal((await store.profiles.view(2)).status, 'queued', 'live state kept');
    });

    it('never writes over live state, and restores a ban', async () => {
      await onboard(store, 1, { age: 50 });
      assert.equal(await store.profiles.restore(1, saved), false);
      assert.equal((await store.profiles.view(1)).profile?.age, 50);
      await store.profiles.restore(4, { ...saved, bannedUntil: 'forever' });
      assert.equal((await store.profiles.view(4)).bannedUntil, 'forever');
      const until = Date.now() + 3_600_000;
      await store.profiles.restore(5, { ...saved, bannedUntil: until });
      const timed = (await store.profiles.view(5)).bannedUntil;
      assert.ok(typeof timed === 'number' && Math.abs(timed - until) < 1_000, `ban ${timed}`);
      await store.profiles.restore(6, { ...saved, bannedUntil: Date.now() - 1_000 });
      assert.equal((await store.profiles.view(6)).bannedUntil, null, 'a ban already over');
    });

    it('a restored ban still says who banned: an admin or reports', async () => {
      const until = Date.now() + 3_600_000;
      await store.profiles.restore(4, { ...saved, bannedUntil: 'forever', bannedBy: 'admin' });
      await store.profiles.restore(5, { ...saved, bannedUntil: until, bannedBy: 'admin' });
      await store.profiles.restore(6, { ...saved, bannedUntil: until, bannedBy: 'reports' });
      for (const chatId of [4, 5, 6]) {
        const r = await store.pairing.find({ chatId, stamp: msg(), next: false, langHint: 'en' });
        assert.deepEqual(r, { kind: 'banned' });
      }
      const got = await drain(store);
      assert.deepEqual(got.get(4), ['@bannedForeverByAdmin']);
      assert.deepEqual(got.get(5), ['@bannedByAdmin']);
      assert.deepEqual(got.get(6), ['@banned']);
    });

    it('erasing keeps only the language, and no rebuild brings the profile back', async () => {
      await onboard(store, 1, { lang: 'fa' });
      await onboard(store, 2);
      const found = msg();
      await store.pairing.find({ chatId: 1, stamp: found, next: false, langHint: 'fa' });
      const erased = await store.profiles.erase({ chatId: 1, stamp: press(), queryId: 'q' });
      assert.deepEqual(erased, { kind: 'erased', endedPartner: null, dropped: 0 });
      // The marks of every update queue survive it: the Find redelivered is still seen.
      assert.equal(
        (await store.pairing.find({ chatId: 1, stamp: found, next: false, langHint: 'fa' })).kind,
        'duplicate',
      );
      const view = await store.profiles.view(1);
      assert.deepEqual(
        { status: view.status, profile: view.profile, lang: view.lang },
        { status: 'idle', profile: null, lang: 'fa' },
      );
      assert.equal(
        (await store.pairing.find({ chatId: 2, stamp: msg(), next: false, langHint: 'en' })).kind,
        'queued',
        'no longer waiting',
      );
      assert.equal(await store.profiles.restore(1, saved), false);
      assert.equal((await store.profiles.view(1)).profile, null);
      const got = await drain(store);
      assert.deepEqual(got.get(1)?.slice(-2), ['@settingsSaved', '@erased']);
      const journal = await readJournal(store);
      assert.ok(journal.some((e) => e.kind === 'erase' && e.chat === 1));
      // A banned user erases nothing while the ban runs.
      await store.moderation.ban(2, null, 99);
      assert.deepEqual(await store.profiles.erase({ chatId: 2, stamp: press(), queryId: 'q' }), {
        kind: 'banned',
      });
      assert.notEqual((await store.profiles.view(2)).profile, null);
      // Its press is still answered, so the client stops waiting.
      assert.ok((await drain(store)).get(2)?.includes('@bannedAnswer'), 'the press is answered');
    });
  });
}
