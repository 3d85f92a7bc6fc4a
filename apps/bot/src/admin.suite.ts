import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pairUp, received, useStack } from './chat.suite.js';
import { says } from './testing/stack.js';

const ADMIN = 4242;
/** A second admin, for tests that need an admin of their own. */
const OTHER_ADMIN = 4243;
const PERSIAN_ADMIN = 4244;
/** An admin whose broadcasts a returning user must get. */
const BROADCAST_ADMIN = 4245;

/** The admin's commands and broadcasts, and who may give them. */
export function adminSuite(name: string, shared: boolean): void {
  describe(`admin: ${name}`, () => {
    // A burst of ten: onboarding (/start, language, gender, age) and Find take five of it.
    const stack = useStack(shared, {
      FLOOD_BURST: '10',
      FLOOD_PER_MINUTE: '6',
      ADMIN_IDS: `${ADMIN},${OTHER_ADMIN},${BROADCAST_ADMIN}`,
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
