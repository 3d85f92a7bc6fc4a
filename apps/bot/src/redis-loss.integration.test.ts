import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pairUp, useStack } from './chat.suite.js';
import { dropRedisPrefix, reasonButton, says } from './testing/stack.js';

const ADMIN = 4343;

// Redis lost everything (no persistence, a failed disk, a restore from an old backup) while
// Postgres kept what outlives a chat. Real Redis and a scratch Postgres database.
describe('Redis lost: returning users are rebuilt from Postgres', () => {
  const stack = useStack(true, { ADMIN_IDS: String(ADMIN) });

  it('keeps profiles, blocks and bans; the journal goes on into Postgres', async () => {
    const s = stack();
    const [a, b] = await pairUp(s);
    await s.send(b, { text: '/block' });
    await s.waitFor(b, says('block.done'));
    await s.waitFor(a, says('partnerLeft'));
    const sara = await s.onboarded('Sara', { lang: 'fa', gender: 'f', age: 41 });
    const admin = await s.userWithId(ADMIN, 'Admin');
    await s.onboardUser(admin);
    const bad = await s.onboarded('Bad');
    await s.send(admin, { text: `/ban ${bad}` });
    await s.waitFor(bad, says('bannedForeverByAdmin'));
    await s.settle();
    await s.worker.flushChats();

    await dropRedisPrefix(s.config.redis.prefix);

    // Back without onboarding again, and still kept apart.
    await s.send(a, { text: '/find' });
    await s.waitFor(a, says('searching'));
    await s.send(b, { text: '/find' });
    await s.waitFor(b, says('searching'));
    await s.send(sara, { text: '/settings' });
    const settings = await s.waitFor(sara, says('settings.title', 'fa'));
    assert.match(settings.message.text ?? '', /41/);
    await s.send(bad, { text: '/find' });
    await s.send(bad, { text: 'hello?' });
    await s.settle();
    const badChat = await s.chat(bad);
    assert.equal(
      badChat.filter(says('bannedForeverByAdmin')).length,
      2,
      'told again after the rebuild, once, that an admin banned them',
    );
    assert.ok(!badChat.slice(-2).some(says('searching')), 'still banned');
    for (const u of [a, b, sara]) {
      // Onboarding is one message, edited question by question: a second would be asked anew.
      const lang = u === sara ? 'fa' : 'en';
      const asked = (await s.chat(u)).filter(
        (e) =>
          says('onboarding.language', lang)(e) ||
          says('onboarding.gender', lang)(e) ||
          says('onboarding.age', lang)(e),
      );
      assert.equal(asked.length, 1, 'onboarding is not asked again');
    }

    // A newcomer is paired with one of the two waiting; their chat still reaches Postgres.
    const newcomer = await s.onboarded('New');
    await s.send(newcomer, { text: '/find' });
    await s.waitFor(newcomer, says('matched'));
    await s.send(newcomer, { text: '/stop' });
    await s.waitFor(newcomer, says('youEnded'));
    await s.settle();
    await s.worker.flushChats();
    const chats = await s.worker.database.db
      .selectFrom('chats')
      .innerJoin('users', (j) =>
        j.on((eb) =>
          eb.or([
            eb('users.id', '=', eb.ref('chats.user_a')),
            eb('users.id', '=', eb.ref('chats.user_b')),
          ]),
        ),
      )
      .select('chats.id')
      .where('users.telegram_id', '=', newcomer)
      .execute();
    assert.equal(chats.length, 1);
    for (const u of [a, b]) await s.send(u, { text: '/stop' });
  });

  it('keeps a reporter and the one reported apart, whoever comes back first', async () => {
    const s = stack();
    const [reporter, reported] = await pairUp(s, ['Carol', 'Dan']);
    await s.send(reporter, { text: '/report' });
    const ask = await s.waitFor(reporter, says('report.ask'));
    await s.press(reporter, ask.message.message_id, reasonButton(ask, 'spam'));
    await s.waitFor(reporter, says('report.thanks'));
    await s.settle();
    await s.worker.flushChats();

    await dropRedisPrefix(s.config.redis.prefix);

    for (const u of [reported, reporter]) {
      await s.send(u, { text: '/find' });
      await s.settle();
    }
    for (const u of [reporter, reported]) {
      const seen = (await s.chat(u)).filter((e) => e.from_bot);
      assert.equal(seen.filter(says('matched')).length, 1, 'only the chat before the report');
      assert.ok(says('searching')(seen.at(-1)!), 'waiting, not paired');
    }
    for (const u of [reporter, reported]) await s.send(u, { text: '/stop' });
  });
});
