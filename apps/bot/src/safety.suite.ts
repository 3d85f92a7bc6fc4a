import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { notPairedAgain, pairUp, useStack } from './chat.suite.js';
import { reasonButton, says, type Stack } from './testing/stack.js';

/** Reports, bans, blocks, buttons and flood control. */
export function safetySuite(name: string, shared: boolean): void {
  describe(`safety: ${name}`, () => {
    // A burst of ten: onboarding (/start, language, gender, age) and Find take five of it.
    const stack = useStack(shared, {
      REPORT_BAN_THRESHOLD: '2',
      FLOOD_BURST: '10',
      FLOOD_PER_MINUTE: '6',
    });
    const report = async (s: Stack, reporter: number, reason = 'abuse') => {
      await s.send(reporter, { text: '/report' });
      const ask = await s.waitFor(reporter, says('report.ask'));
      await s.press(reporter, ask.message.message_id, reasonButton(ask, reason));
      await s.waitFor(reporter, says('report.thanks'));
    };
    const reportedBy = (s: Stack, reporter: number) =>
      s.worker.database.db
        .selectFrom('reports')
        .innerJoin('users as r', 'r.id', 'reports.reporter')
        .innerJoin('users as d', 'd.id', 'reports.reported')
        .select(['d.telegram_id as reported', 'reports.reason'])
        .where('r.telegram_id', '=', reporter)
        .execute();

    it('/report ends the chat, records the report, and keeps the two apart', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await report(s, a);
      await s.waitFor(b, says('partnerLeft'));
      await s.settle();
      await s.worker.flushChats();
      const rows = await s.worker.database.db
        .selectFrom('reports')
        .innerJoin('users as r', 'r.id', 'reports.reporter')
        .innerJoin('users as d', 'd.id', 'reports.reported')
        .select(['r.telegram_id as reporter', 'd.telegram_id as reported', 'reports.reason'])
        .where('r.telegram_id', '=', a)
        .execute();
      assert.deepEqual(rows, [{ reporter: a, reported: b, reason: 'abuse' }]);
      await notPairedAgain(s, a, b);
    });

    it('a report reason pressed after another chat reports the partner it was asked about', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.send(a, { text: '/report' });
      const ask = await s.waitFor(a, says('report.ask'));
      const c = await s.onboarded('Carol');
      await s.send(a, { text: '/find' });
      await s.send(c, { text: '/find' });
      await s.waitFor(c, says('matched'));
      await s.send(a, { text: '/stop' });
      await s.waitFor(c, says('partnerEnded'));
      await s.press(a, ask.message.message_id, reasonButton(ask, 'spam'));
      await s.waitFor(a, says('report.thanks'));
      await s.settle();
      await s.worker.flushChats();
      assert.deepEqual(await reportedBy(s, a), [{ reported: b, reason: 'spam' }]);
      // A question replaced by a later /report reports nobody.
      await s.send(a, { text: '/report' });
      await s.waitFor(
        a,
        (e) => says('report.ask')(e) && e.message.message_id !== ask.message.message_id,
      );
      await s.press(a, ask.message.message_id, reasonButton(ask, 'abuse'));
      await s.settle();
      await s.worker.flushChats();
      assert.deepEqual(await reportedBy(s, a), [{ reported: b, reason: 'spam' }]);
    });

    it('an onboarding button pressed again while queued changes nothing', async () => {
      const s = stack();
      const a = await s.onboarded('Ann', { gender: 'm' });
      // The onboarding question (by now the age question, edited in place), its gender
      // buttons pressed again as a client that had not caught up would.
      const asked = (await s.chat(a)).find(says('onboarding.age'))!;
      await s.send(a, { text: '/find' });
      await s.waitFor(a, says('searching'));
      await s.press(a, asked.message.message_id, 'o:g:f');
      await s.settle();
      await s.send(a, { text: '/settings' });
      const shown = await s.waitFor(a, says('settings.title'));
      assert.match(shown.message.text ?? '', /You are: a man, 30/);
      await s.send(a, { text: '/stop' });
      await s.waitFor(a, says('searchCancelled'));
    });

    it('enough distinct reports ban a user for a while; they are told once and can do nothing', async () => {
      const s = stack();
      const [a, bad] = await pairUp(s, ['First', 'Bad']);
      await report(s, a, 'spam');
      const c = await s.onboarded('Second');
      await s.send(c, { text: '/find' });
      await s.send(bad, { text: '/find' });
      await s.waitFor(c, says('matched'));
      await report(s, c, 'sexual');
      const told = await s.waitFor(bad, says('banned'));
      assert.match(told.message.text ?? '', /after reports/, 'told reports banned them');
      await s.send(bad, { text: '/find' });
      await s.send(bad, { text: 'let me in' });
      await s.settle();
      const chat = await s.chat(bad);
      assert.equal(chat.filter(says('banned')).length, 1, 'told once a minute');
      const at = chat.findIndex(says('banned'));
      assert.ok(!chat.slice(at).some(says('searching')), 'a banned user is not queued');
      await s.worker.flushChats();
      const row = await s.worker.database.db
        .selectFrom('users')
        .select(['banned_until', 'ban_reason'])
        .where('telegram_id', '=', bad)
        .executeTakeFirstOrThrow();
      assert.ok(row.banned_until && row.banned_until.getTime() > Date.now());
      assert.equal(row.ban_reason, 'reports');
    });

    it('/block ends the chat and the two never meet again', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.send(b, { text: '/block' });
      await s.waitFor(b, says('block.done'));
      await s.waitFor(a, says('partnerLeft'));
      await s.send(a, { text: '/find' });
      await s.send(b, { text: '/find' });
      await s.waitFor(b, says('searching'));
      const c = await s.onboarded('Third');
      await s.send(c, { text: '/find' });
      await s.waitFor(c, says('matched'));
      for (const u of [a, b, c]) await s.send(u, { text: '/stop' });
    });

    it("floods are cut at the door: the partner's chat is not jammed, the sender told once", async () => {
      const s = stack();
      const [f, v] = await pairUp(s, ['Flooder', 'Victim']);
      for (let i = 0; i < 40; i++) await s.send(f, { text: `flood ${i}` });
      await s.waitFor(f, says('slowDown'));
      await s.send(v, { text: '/stop' });
      await s.waitFor(v, says('youEnded'));
      await s.settle();
      const got = (await s.chat(v)).filter((e) => e.message.text?.startsWith('flood'));
      assert.ok(got.length <= 6, `${got.length} flood copies reached the victim`);
      assert.equal((await s.chat(f)).filter(says('slowDown')).length, 1, 'told once per burst');
      const ended = (await s.chat(v)).findIndex(says('youEnded'));
      assert.ok(
        (await s.chat(v)).slice(ended).every((e) => !e.message.text?.startsWith('flood')),
        'no flood copy after the victim stopped',
      );
    });

    it('/help in a loop is cut by the same budget: the rest dropped, one slow down', async () => {
      const s = stack();
      const u = await s.onboarded('Scripted');
      for (let i = 0; i < 30; i++) await s.send(u, { text: '/help' });
      await s.waitFor(u, says('slowDown'));
      await s.settle();
      const chat = await s.chat(u);
      const answered = chat.filter(says('help')).length;
      assert.ok(answered >= 1 && answered <= 7, `${answered} of 30 /help answered`);
      assert.equal(chat.filter(says('slowDown')).length, 1, 'one slow down a burst');
    });

    it('an album is one message: a greeting then ten photos all arrive, as one album', async () => {
      const s = stack();
      const [a, b] = await pairUp(s, ['Photographer', 'Viewer']);
      await s.send(a, { text: 'look at these' });
      const captions = Array.from({ length: 10 }, (_, i) => `photo ${i + 1}`);
      await s.album(a, captions);
      await s.waitFor(b, (e) => e.message.caption === 'photo 10', 8_000);
      await s.settle();
      const parts = (await s.chat(b)).filter((e) => e.message.caption?.startsWith('photo'));
      assert.deepEqual(
        parts.map((p) => p.message.caption),
        captions,
      );
      assert.equal(new Set(parts.map((p) => p.media_group_id)).size, 1, 'one album');
      assert.ok(!(await s.chat(a)).some(says('slowDown')));
    });
  });
}
