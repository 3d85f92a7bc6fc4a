import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { pairUp, useStack } from './chat.suite.js';
import { reasonButton, says, type Stack } from './testing/stack.js';

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
  });
}
