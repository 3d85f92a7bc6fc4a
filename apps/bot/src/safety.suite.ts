import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pairUp, received, useStack } from './chat.suite.js';
import { reasonButton, says, type Stack } from './testing/stack.js';

const ADMIN = 4242;
/** A second admin, for tests that need an admin of their own. */
const OTHER_ADMIN = 4243;
const PERSIAN_ADMIN = 4244;
/** An admin whose broadcasts a returning user must get. */
const BROADCAST_ADMIN = 4245;

/** Reports, bans, blocks, flood control and the admin's commands. */
export function safetySuite(name: string, shared: boolean): void {
  describe(`safety: ${name}`, () => {
    // A burst of ten: onboarding (/start, language, gender, age) and Find take five of it.
    const stack = useStack(shared, {
      REPORT_BAN_THRESHOLD: '2',
      FLOOD_BURST: '10',
      FLOOD_PER_MINUTE: '6',
      ADMIN_IDS: `${ADMIN},${OTHER_ADMIN},${BROADCAST_ADMIN}`,
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
      await s.send(a, { text: '/find' });
      await s.send(b, { text: '/find' });
      await s.waitFor(b, says('searching'));
      await s.settle();
      assert.equal((await s.chat(b)).filter(says('matched')).length, 1, 'not paired again');
      for (const u of [a, b]) await s.send(u, { text: '/stop' });
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
      const asked = (await s.chat(a)).find(says('onboarding.gender'))!;
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

    it('admin commands answer admins only; ban, unban, stats and a broadcast with its count', async () => {
      const s = stack();
      const admin = await s.userWithId(ADMIN, 'Admin');
      await s.onboardUser(admin);
      const user = await s.onboarded('Plain');
      await s.send(user, { text: '/stats' });
      await s.waitFor(user, says('unknownCommand'));
      await s.send(admin, { text: '/stats' });
      await s.waitFor(admin, says('admin.stats'));
      await s.send(admin, { text: `/ban ${user} 1h` });
      await s.waitFor(
        admin,
        (e) => e.message.text?.includes(`User ${user} is banned until`) ?? false,
      );
      const told = await s.waitFor(user, says('bannedByAdmin'));
      assert.match(told.message.text ?? '', /administrator/);
      await s.send(user, { text: '/find' });
      await s.settle();
      assert.equal((await s.chat(user)).filter(says('bannedByAdmin')).length, 1, 'once a minute');
      await s.send(admin, { text: `/unban ${user}` });
      await s.waitFor(user, says('unbanned'));
      await s.send(admin, { text: '/ban nobody' });
      await s.waitFor(admin, says('admin.usage'));
      await s.settle();
      await s.worker.flushChats();
      await s.send(admin, { text: '/broadcast Maintenance tonight' });
      await s.waitFor(admin, says('admin.broadcastStarted'));
      await s.waitFor(user, (e) => e.message.text === 'Maintenance tonight', 10_000);
      await s.waitFor(admin, says('admin.broadcastDone'), 10_000);
      assert.doesNotMatch(await received(s, user), new RegExp(String(ADMIN)));
    });

    it('only typed commands are commands: a forwarded /ban or /stop is a message', async () => {
      const s = stack();
      const target = await s.onboarded('Target');
      const [a, b] = await pairUp(s);
      const forwarded = { type: 'hidden_user', sender_user_name: 'Someone' };
      // Admin commands are the admin's own: a forward of one, even from an admin, bans nobody.
      const asAdmin = await s.userWithId(OTHER_ADMIN, 'Admin');
      await s.onboardUser(asAdmin);
      await s.send(asAdmin, { text: `/ban ${a} 1h`, forward_origin: forwarded });
      await s.send(a, { text: '/stop', forward_origin: forwarded });
      await s.waitFor(b, (e) => e.from_bot && e.message.text === '/stop');
      await s.send(a, { text: 'still here' });
      await s.waitFor(b, (e) => e.message.text === 'still here');
      await s.settle();
      assert.ok(!(await s.chat(asAdmin)).some((e) => e.message.text?.includes('is banned until')));
      for (const u of [a, b]) {
        const chat = await s.chat(u);
        assert.ok(!chat.some(says('banned')) && !chat.some(says('bannedByAdmin')), 'nobody banned');
        assert.ok(!chat.some(says('youEnded')) && !chat.some(says('partnerEnded')), 'chat goes on');
      }
      // A typed one still is: the admin's own /ban works, and so does a typed /stop.
      await s.send(asAdmin, { text: `/ban ${target} 1h` });
      await s.waitFor(target, says('bannedByAdmin'));
      await s.send(a, { text: '/stop' });
      await s.waitFor(b, says('partnerEnded'));
    });

    it('a user who blocked the bot and comes back with /start gets broadcasts again', async () => {
      const s = stack();
      const admin = await s.userWithId(BROADCAST_ADMIN, 'Second admin');
      await s.onboardUser(admin);
      const user = await s.onboarded('Returning');
      const blockedAt = async () =>
        (
          await s.worker.database.db
            .selectFrom('users')
            .select('blocked_bot_at')
            .where('telegram_id', '=', user)
            .executeTakeFirstOrThrow()
        ).blocked_bot_at;
      await s.blockBot(user, true);
      await s.settle();
      await s.worker.flushChats();
      assert.notEqual(await blockedAt(), null, 'recorded as blocked');
      await s.blockBot(user, false);
      await s.send(user, { text: '/start' });
      await s.settle();
      await s.worker.flushChats();
      assert.equal(await blockedAt(), null, 'reachable again');
      await s.send(admin, { text: '/broadcast Welcome back' });
      await s.waitFor(user, (e) => e.message.text === 'Welcome back', 10_000);
      await s.waitFor(admin, says('admin.broadcastDone'), 10_000);
    });
  });

  describe(`broadcasts: ${name}`, () => {
    // One user a page (a page a second), so a broadcast is still running when cancelled.
    const stack = useStack(shared, {
      ADMIN_IDS: String(PERSIAN_ADMIN),
      BROADCAST_RATE_PER_SEC: '0.1',
    });
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('an admin cancels a running broadcast, told in their language; a redelivered /broadcast starts nothing', async () => {
      const s = stack();
      const admin = await s.userWithId(PERSIAN_ADMIN, 'مدیر', 'fa');
      await s.onboardUser(admin, { lang: 'fa' });
      const users = [admin, await s.onboarded('One'), await s.onboarded('Two')];
      await s.settle();
      await s.worker.flushChats();
      const got = async (text: string) => {
        const counts: number[] = [];
        for (const u of users) {
          counts.push((await s.chat(u)).filter((e) => e.message.text === text).length);
        }
        return counts;
      };

      await s.send(admin, { text: '/broadcast cancel' });
      await s.waitFor(admin, says('admin.broadcastNotRunning', 'fa'));
      await s.send(admin, { text: '/broadcast First' });
      await s.waitFor(admin, says('admin.broadcastStarted', 'fa'));
      await s.send(admin, { text: '/broadcast cancel' });
      await s.waitFor(admin, says('admin.broadcastCancelled', 'fa'));
      await pause(2_500);
      await s.settle();
      const first = await got('First');
      assert.ok(
        first.reduce((a, b) => a + b, 0) < users.length,
        `not everyone got the cancelled one (${first.join(',')})`,
      );

      const second = await s.send(admin, { text: '/broadcast Second' });
      await s.waitFor(admin, says('admin.broadcastDone', 'fa'), 15_000);
      assert.deepEqual(await got('Second'), [1, 1, 1]);
      const redelivered = {
        update_id: second.update_id,
        message: {
          message_id: second.message_id,
          date: 0,
          chat: { id: admin, type: 'private' },
          from: { id: admin, is_bot: false, first_name: 'مدیر' },
          text: '/broadcast Second',
          entities: [{ type: 'bot_command', offset: 0, length: 10 }],
        },
      };
      assert.equal(await s.deliver(redelivered), 200);
      await pause(2_500);
      await s.settle();
      assert.deepEqual(await got('Second'), [1, 1, 1], 'sent once');
      const started = (await s.chat(admin)).filter(says('admin.broadcastStarted', 'fa'));
      assert.equal(started.length, 2, 'First and Second only');
    });
  });
}
