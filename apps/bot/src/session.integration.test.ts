import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { t } from '@hamdam/domain';
import {
  buttonsOf,
  reasonButton,
  says,
  startStack,
  type ChatEntry,
  type Stack,
} from './testing/stack.js';

/**
 * A scripted session of a dozen people through the emulator, with the real Redis and
 * Postgres, touching every part of the whole chat; at the end, nothing anyone received may
 * hold another person's id, name or username.
 */
describe('a dozen people, every feature, nothing leaks', () => {
  let s: Stack;
  const ADMIN = 7_777_001;
  const people = new Map<number, { name: string; username: string }>();
  before(async () => {
    s = await startStack({
      shared: true,
      env: {
        ADMIN_IDS: String(ADMIN),
        REPORT_BAN_THRESHOLD: '2',
        // Flood control counts every update: Maryam's onboarding, settings, Find and six
        // messages take fifteen; the spammer's flood is cut past sixteen.
        FLOOD_BURST: '16',
        FLOOD_PER_MINUTE: '6',
      },
    });
  });
  after(async () => {
    await s?.close();
  });

  const control = <T>(method: string, path: string, body?: unknown): Promise<T> =>
    fetch(`${s.config.telegram.apiRoot}/control${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    }).then((r) => r.json() as Promise<T>);
  const person = async (name: string, lang: 'fa' | 'en', id?: number) => {
    const username = `${name.toLowerCase()}_handle`;
    const user = await control<{ id: number }>('POST', '/users', {
      ...(id === undefined ? {} : { id }),
      first_name: name,
      username,
      language_code: lang,
    });
    people.set(user.id, { name, username });
    return user.id;
  };
  const onboard = async (id: number, lang: 'fa' | 'en', gender: 'm' | 'f', age: string) => {
    await s.send(id, { text: '/start' });
    const l = await s.waitFor(id, says('onboarding.language', lang));
    await s.press(id, l.message.message_id, `o:l:${lang}`);
    const g = await s.waitFor(id, says('onboarding.gender', lang));
    await s.press(id, g.message.message_id, `o:g:${gender}`);
    await s.waitFor(id, says('onboarding.age', lang));
    await s.send(id, { text: age });
    await s.waitFor(id, says('onboarding.done', lang));
  };
  const settings = async (id: number, data: string, lang: 'fa' | 'en' = 'en') => {
    await s.send(id, { text: '/settings' });
    const view = await s.waitFor(
      id,
      (e) => e.message.text?.startsWith(t(lang, 'settings.title')) ?? false,
    );
    assert.ok(buttonsOf(view).includes(data), `${data} is offered`);
    await s.press(id, view.message.message_id, data);
    await s.settle();
  };
  const find = async (id: number) => s.send(id, { text: '/find' });
  const partnerSees = (id: number, text: string) =>
    s.waitFor(id, (e: ChatEntry) => e.message.text === text);

  it('runs the whole chat for twelve people', async () => {
    // Onboarding: Persian and English, a wrong age asked again, one who presses Find first.
    const maryam = await person('Maryam', 'fa');
    const ali = await person('Ali', 'fa');
    const emma = await person('Emma', 'en');
    const john = await person('John', 'en');
    const sara = await person('Sara', 'fa');
    const david = await person('David', 'en');
    const teen1 = await person('Teen', 'en');
    const teen2 = await person('Kid', 'en');
    const lena = await person('Lena', 'en');
    const omid = await person('Omid', 'fa');
    const spam = await person('Spammer', 'en');
    const admin = await person('Admin', 'en', ADMIN);
    await onboard(maryam, 'fa', 'f', '۲۶');
    await onboard(ali, 'fa', 'm', '29');
    await onboard(emma, 'en', 'f', '31');
    await s.send(john, { text: '/find' });
    const l = await s.waitFor(john, says('onboarding.language'));
    await s.press(john, l.message.message_id, 'o:l:en');
    const g = await s.waitFor(john, says('onboarding.gender'));
    await s.press(john, g.message.message_id, 'o:g:m');
    await s.waitFor(john, says('onboarding.age'));
    await s.send(john, { text: 'old enough' });
    await s.waitFor(john, says('onboarding.ageInvalid'));
    await s.send(john, { text: '44' });
    await s.waitFor(john, says('onboarding.done'));
    await s.waitFor(john, says('searching'));
    for (const [id, lang, gender, age] of [
      [sara, 'fa', 'f', '35'],
      [david, 'en', 'm', '52'],
      [teen1, 'en', 'm', '15'],
      [teen2, 'en', 'f', '16'],
      [lena, 'en', 'f', '24'],
      [omid, 'fa', 'm', '38'],
      [spam, 'en', 'm', '30'],
      [admin, 'en', 'm', '40'],
    ] as const) {
      await onboard(id, lang, gender, age);
    }
    await s.send(john, { text: '/stop' });
    await s.waitFor(john, says('searchCancelled'));

    // Filters: Maryam wants women and speaks only Persian; Sara fits; John (44) wants 35+.
    await settings(maryam, 's:w:f', 'fa');
    await settings(maryam, 's:x:same', 'fa');
    await settings(john, 's:r:35-99');
    await find(maryam);
    await find(emma);
    await find(sara);
    await s.waitFor(sara, says('matched', 'fa'));
    await s.waitFor(maryam, says('matched', 'fa'));
    // Minors meet minors only.
    await find(teen1);
    await find(david);
    await find(teen2);
    await s.waitFor(teen2, says('matched'));
    await s.waitFor(teen1, says('matched'));
    // Emma (31) waited for John, who wants 35+: David (52) is hers instead.
    await s.waitFor(emma, says('matched'));
    await s.waitFor(david, says('matched'));

    // A faithful relay between Maryam and Sara: text, reply, edit, album, media, odd text.
    await s.send(maryam, { text: 'سلام' });
    const hi = await partnerSees(sara, 'سلام');
    await s.send(sara, { text: 'درود!', reply_to_message_id: hi.message.message_id });
    const reply = await partnerSees(maryam, 'درود!');
    assert.ok(reply.reply_to_message_id, 'arrives as a reply');
    const typo = await s.send(maryam, { text: 'حالت چطوره؟؟' });
    await partnerSees(sara, 'حالت چطوره؟؟');
    await s.edit(maryam, typo.message_id, { text: 'حالت چطوره؟' });
    await s.waitFor(sara, (e) => e.message.text === 'حالت چطوره؟' && e.edit_date !== undefined);
    await s.album(sara, ['۱', '۲', '۳']);
    await s.waitFor(maryam, (e) => e.message.caption === '۳', 8_000);
    await s.send(maryam, { text: '/etc/hosts' });
    await partnerSees(sara, '/etc/hosts');
    await s.send(sara, { contact: true });
    await s.waitFor(sara, says('contactRefused', 'fa'));
    await s.send(maryam, { voice: true });
    await s.send(maryam, { location: true });
    await s.settle();

    // Protection of media, asked for by Emma.
    await settings(emma, 's:p:1');
    await s.send(emma, { photo: true, caption: 'protected' });
    const shot = await s.waitFor(david, (e) => e.message.caption === 'protected');
    assert.equal(shot.protect_content, true);

    // Reports ban the spammer; a block keeps Lena and Omid apart; flood control. Omid chats
    // with the spammer first and reports them afterwards: the flood spends the spammer's whole
    // budget, Find included.
    await find(spam);
    await find(omid);
    await s.waitFor(omid, says('matched', 'fa'));
    await s.send(omid, { text: '/stop' });
    await s.waitFor(omid, says('youEnded', 'fa'));
    await find(spam);
    await find(lena);
    await s.waitFor(lena, says('matched'));
    for (let i = 0; i < 20; i++) await s.send(spam, { text: `buy now ${i}` });
    await s.waitFor(spam, says('slowDown'));
    await s.send(lena, { text: '/report' });
    const ask = await s.waitFor(lena, says('report.ask'));
    await s.press(lena, ask.message.message_id, reasonButton(ask, 'spam'));
    await s.waitFor(lena, says('report.thanks'));
    await s.send(omid, { text: '/report' });
    const ask2 = await s.waitFor(omid, says('report.ask', 'fa'));
    await s.press(omid, ask2.message.message_id, reasonButton(ask2, 'abuse'));
    await s.waitFor(spam, says('banned'));
    assert.ok(
      (await s.chat(lena)).filter((e) => e.message.text?.startsWith('buy now')).length <= 12,
    );
    await find(omid);
    await find(lena);
    await s.waitFor(lena, says('matched'));
    await s.send(lena, { text: '/block' });
    await s.waitFor(lena, says('block.done'));

    // Admin: stats, unban, broadcast to everyone reachable.
    await s.send(ali, { text: '/stats' });
    await s.waitFor(ali, says('unknownCommand', 'fa'));
    await s.send(admin, { text: '/stats' });
    await s.waitFor(admin, says('admin.stats'));
    await s.send(admin, { text: `/unban ${spam}` });
    await s.waitFor(spam, says('unbanned'));
    await s.settle();
    await s.worker.flushChats();
    await s.send(admin, { text: '/broadcast See you tomorrow' });
    await s.waitFor(admin, says('admin.broadcastDone'), 15_000);
    for (const id of [maryam, ali, emma, john, omid]) await partnerSees(id, 'See you tomorrow');

    // Everything reached Postgres.
    await s.settle();
    await s.worker.flushChats();
    const db = s.worker.database.db;
    const count = async (table: 'users' | 'chats' | 'reports' | 'blocks' | 'bans') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(await count('users'), 12);
    // Ended: the two reported chats and the blocked one; the other three still run.
    assert.equal(await count('chats'), 3);
    assert.equal(await count('reports'), 2);
    assert.equal(await count('blocks'), 1);
    assert.equal(await count('bans'), 1);
    const fa = await db
      .selectFrom('users')
      .select('language')
      .where('telegram_id', '=', maryam)
      .executeTakeFirstOrThrow();
    assert.equal(fa.language, 'fa');
  });

  it("shows nobody another person's id, name or username", async () => {
    for (const [id] of people) {
      const shown = (await s.chat(id))
        .filter((e) => e.from_bot)
        .map(({ message, reply_markup }) =>
          JSON.stringify({ ...message, chat: undefined, reply_markup }),
        )
        .join('\n');
      for (const [other, who] of people) {
        // The admin named the user they unbanned themselves.
        if (other === id || (id === ADMIN && who.name === 'Spammer')) continue;
        for (const secret of [String(other), who.name, who.username]) {
          assert.ok(!shown.includes(secret), `${people.get(id)!.name} was shown ${secret}`);
        }
      }
    }
  });
});
