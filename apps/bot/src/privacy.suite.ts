import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { notPairedAgain, pairUp, useStack } from './chat.suite.js';
import { buttonsOf, reasonButton, says, type Stack } from './testing/stack.js';

const DAY = 86_400_000;

/** What Postgres keeps of people, and for how long. */
export function privacySuite(name: string, shared: boolean): void {
  describe(`privacy: ${name}`, () => {
    const stack = useStack(shared, { RETENTION_DAYS: '30' });
    const chatsOf = (s: Stack, telegramId: number) =>
      s.worker.database.db
        .selectFrom('chats')
        .innerJoin('users', 'users.id', 'chats.user_a')
        .select(['chats.id', 'chats.started_at'])
        .where('users.telegram_id', '=', telegramId)
        .orderBy('chats.id')
        .execute();

    it('finished chats and reports older than RETENTION_DAYS are deleted by the periodic work', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.send(a, { text: '/stop' });
      await s.waitFor(b, says('partnerEnded'));
      const c = await s.onboarded('Carol');
      await s.send(a, { text: '/find' });
      await s.send(c, { text: '/find' });
      await s.waitFor(c, says('matched'));
      await s.send(a, { text: '/report' });
      await s.waitFor(a, says('report.ask'));
      const ask = (await s.chat(a)).find(says('report.ask'))!;
      await s.press(a, ask.message.message_id, reasonButton(ask, 'spam'));
      await s.waitFor(a, says('report.thanks'));
      await s.settle();
      await s.worker.flushChats();
      const chats = await chatsOf(s, a);
      assert.equal(chats.length, 2);
      const { db } = s.worker.database;
      // The first chat and the report are dated 31 days back; the second chat stays recent.
      const aged = new Date(Date.now() - 31 * DAY);
      await db
        .updateTable('chats')
        .set({ started_at: aged })
        .where('id', '=', chats[0]!.id)
        .execute();
      await sql`update reports set created_at = ${aged}`.execute(db);
      const deleted = await s.worker.app.retention.tick(Date.now() + 2 * 3_600_000);
      assert.deepEqual(deleted, { chats: 1, reports: 1 });
      assert.deepEqual(
        (await chatsOf(s, a)).map((c) => c.id),
        [chats[1]!.id],
      );
      const left = await db.selectFrom('reports').select('id').execute();
      assert.equal(left.length, 0);
    });

    it('/delete, once confirmed, ends the chat and erases the profile and chats; reports stay', async () => {
      const s = stack();
      const [a, b] = await pairUp(s, ['Erin', 'Bob']);
      await s.send(b, { text: '/report' });
      const ask = await s.waitFor(b, says('report.ask'));
      await s.press(b, ask.message.message_id, reasonButton(ask, 'abuse'));
      await s.waitFor(b, says('report.thanks'));
      const c = await s.onboarded('Carol');
      await s.send(a, { text: '/find' });
      await s.send(c, { text: '/find' });
      await s.waitFor(c, says('matched'));

      await s.send(a, { text: '/delete' });
      const confirm = await s.waitFor(a, says('erase.ask'));
      assert.deepEqual(buttonsOf(confirm), ['d:yes']);
      await s.send(a, { text: 'still here' });
      await s.waitFor(c, (e) => e.message.text === 'still here');
      await s.press(a, confirm.message.message_id, 'd:yes');
      await s.waitFor(a, says('erase.done'));
      await s.waitFor(c, says('partnerLeft'));
      // The profile is gone at once: the next /start onboards again, even before Postgres
      // caught up (it must not rebuild the profile from there).
      await s.send(a, { text: '/start' });
      await s.waitFor(a, says('onboarding.language'));
      await s.settle();
      await s.worker.flushChats();
      const { db } = s.worker.database;
      const user = await db
        .selectFrom('users')
        .select(['id', 'gender', 'age', 'language', 'onboarded_at'])
        .where('telegram_id', '=', a)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        { ...user, id: 0 },
        { id: 0, gender: null, age: null, language: null, onboarded_at: null },
      );
      const chats = await db
        .selectFrom('chats')
        .select('id')
        .where((eb) => eb.or([eb('user_a', '=', user.id), eb('user_b', '=', user.id)]))
        .execute();
      assert.deepEqual(chats, [], 'both chats erased, the one /delete ended too');
      const reports = await db
        .selectFrom('reports')
        .select('reason')
        .where('reported', '=', user.id)
        .execute();
      assert.deepEqual(reports, [{ reason: 'abuse' }], 'reports about them stay');
      // Blocks stay too: Erin and Bob are still never paired.
      await s.onboardUser(a);
      await notPairedAgain(s, a, b);
    });

    it('/delete without the confirmation erases nothing', async () => {
      const s = stack();
      const a = await s.onboarded('Dana');
      await s.send(a, { text: '/delete' });
      await s.waitFor(a, says('erase.ask'));
      await s.send(a, { text: '/settings' });
      const shown = await s.waitFor(a, says('settings.title'));
      assert.match(shown.message.text ?? '', /You are: a man, 30/);
    });
  });
}
