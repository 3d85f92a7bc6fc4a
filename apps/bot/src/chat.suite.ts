import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { t } from '@hamdam/domain';
import { buttonsOf, says, startStack, type ChatEntry, type Stack } from './testing/stack.js';

const text = (value: string) => (e: ChatEntry) => e.message.text === value;

/** Starts a stack for the calling suite and closes it after. */
export function useStack(shared: boolean, env: Record<string, string> = {}): () => Stack {
  let stack: Stack | null = null;
  before(async () => {
    stack = await startStack({ shared, env });
  });
  after(async () => {
    await stack?.close();
  });
  return () => stack!;
}

/** Two onboarded users, paired. */
export async function pairUp(stack: Stack, names: [string, string] = ['Alice', 'Bob']) {
  const a = await stack.onboarded(names[0]);
  const b = await stack.onboarded(names[1]);
  await stack.send(a, { text: t('en', 'button.find') });
  await stack.waitFor(a, says('searching'));
  await stack.send(b, { text: '/find' });
  await stack.waitFor(a, says('matched'));
  await stack.waitFor(b, says('matched'));
  return [a, b] as const;
}

/**
 * Two users who were paired once press Find; they must not meet again: the second is left
 * searching. Both leave the queue after.
 */
export async function notPairedAgain(stack: Stack, a: number, b: number): Promise<void> {
  await stack.send(a, { text: '/find' });
  await stack.send(b, { text: '/find' });
  await stack.waitFor(b, says('searching'));
  await stack.settle();
  assert.equal((await stack.chat(b)).filter(says('matched')).length, 1, 'not paired again');
  for (const u of [a, b]) await stack.send(u, { text: '/stop' });
}

/**
 * Everything the bot sent a user, as the user's client shows it, as JSON: what must never hold
 * another user's identity. The chat itself (the user's own name) and the emulator's note of
 * where a copy came from (for tests, never sent to anyone) are left out.
 */
export async function received(stack: Stack, user: number): Promise<string> {
  const shown = (await stack.chat(user))
    .filter((e) => e.from_bot)
    .map(({ message, reply_markup }) => ({ ...message, chat: undefined, reply_markup }));
  return JSON.stringify(shown);
}

/** Onboarding, pairing, relay, stop, privacy and bad input, end to end through the emulator. */
export function chatSuite(name: string, shared: boolean): void {
  describe(`the chat: ${name}`, () => {
    const stack = useStack(shared);

    it('onboards in Persian when Telegram says Persian: language, gender, age (asked again until it is one)', async () => {
      const s = stack();
      const u = await s.user('Sara', 'fa');
      await s.send(u, { text: '/start' });
      const language = await s.waitFor(u, says('onboarding.language', 'fa'));
      const labels = (
        language.reply_markup as { inline_keyboard: { text: string }[][] }
      ).inline_keyboard.flat();
      assert.ok(
        labels.some((b) => b.text === '• فارسی •'),
        'Persian is offered first',
      );
      await s.press(u, language.message.message_id, 'o:l:fa');
      // Each next question replaces the answered one: onboarding is one message, edited.
      const gender = await s.waitFor(u, says('onboarding.gender', 'fa'));
      assert.equal(gender.message.message_id, language.message.message_id);
      await s.press(u, gender.message.message_id, 'o:g:f');
      const age = await s.waitFor(u, says('onboarding.age', 'fa'));
      assert.equal(age.message.message_id, language.message.message_id);
      // The last question has no buttons: the answered one's are gone, not pressable twice.
      assert.deepEqual(buttonsOf(age), []);
      await s.send(u, { text: 'بیست' });
      await s.waitFor(u, says('onboarding.ageInvalid', 'fa'));
      await s.send(u, { text: '۲۵' });
      await s.waitFor(u, says('onboarding.done', 'fa'));
      await s.settle();
      const said = (await s.chat(u)).filter((e) => e.from_bot).map((e) => e.message.text);
      assert.deepEqual(said, [
        t('fa', 'onboarding.age'),
        t('fa', 'onboarding.ageInvalid'),
        t('fa', 'onboarding.done'),
      ]);
    });

    it('Find before onboarding starts it, and the search runs once it is done', async () => {
      const s = stack();
      const partner = await s.onboarded('Waiting');
      await s.send(partner, { text: '/find' });
      await s.waitFor(partner, says('searching'));
      const u = await s.user('Eager');
      await s.send(u, { text: '/find' });
      const language = await s.waitFor(u, says('onboarding.language'));
      await s.press(u, language.message.message_id, 'o:l:en');
      const gender = await s.waitFor(u, says('onboarding.gender'));
      await s.press(u, gender.message.message_id, 'o:g:m');
      await s.waitFor(u, says('onboarding.age'));
      await s.send(u, { text: '41' });
      await s.waitFor(u, says('matched'));
      await s.waitFor(partner, says('matched'));
    });

    it('pairs two searching users and relays text and media to the partner only', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const bystander = await s.onboarded('Carol');
      const hello = await s.send(a, { text: 'hello from a' });
      const photo = await s.send(b, { photo: true, caption: 'a picture' });
      const gotText = await s.waitFor(b, (e) => e.message.text === 'hello from a');
      assert.deepEqual(gotText.copied_from, { chat_id: a, message_id: hello.message_id });
      const gotPhoto = await s.waitFor(a, (e) => e.message.caption === 'a picture');
      assert.deepEqual(gotPhoto.copied_from, { chat_id: b, message_id: photo.message_id });
      assert.equal(gotPhoto.content, 'photo');
      await s.settle();
      assert.equal((await s.chat(b)).filter((e) => e.message.text === 'hello from a').length, 1);
      assert.ok((await s.chat(bystander)).every((e) => !e.copied_from));
    });

    it('stop ends the chat for both, and the chat reaches Postgres once', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.send(b, { text: '/stop' });
      await s.waitFor(b, says('youEnded'));
      await s.waitFor(a, says('partnerEnded'));
      await s.send(a, { text: 'anyone there?' });
      await s.waitFor(a, says('notChatting'));
      await s.settle();
      await s.worker.flushChats();
      const rows = await s.worker.database.db
        .selectFrom('chats')
        .innerJoin('users as ua', 'ua.id', 'chats.user_a')
        .innerJoin('users as ub', 'ub.id', 'chats.user_b')
        .select(['ua.telegram_id as a', 'ub.telegram_id as b', 'chats.end_reason'])
        .where('ua.telegram_id', '=', b)
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.a, r.b, r.end_reason]),
        [[b, a, 'stop']],
      );
      assert.equal(await s.worker.flushChats(), 0, 'flushing again stores nothing twice');
    });

    it('records a chat of users who never sent /start, with their profiles', async () => {
      const s = stack();
      const a = await s.user('NoStartA');
      const b = await s.user('NoStartB');
      for (const u of [a, b]) {
        await s.send(u, { text: '/find' });
        const l = await s.waitFor(u, says('onboarding.language'));
        await s.press(u, l.message.message_id, 'o:l:en');
        const g = await s.waitFor(u, says('onboarding.gender'));
        await s.press(u, g.message.message_id, 'o:g:m');
        await s.waitFor(u, says('onboarding.age'));
        await s.send(u, { text: '35' });
      }
      await s.waitFor(b, says('matched'));
      await s.send(a, { text: '/stop' });
      await s.waitFor(b, says('partnerEnded'));
      await s.settle();
      await s.worker.flushChats();
      const users = await s.worker.database.db
        .selectFrom('users')
        .select(['telegram_id', 'age', 'gender', 'onboarded_at'])
        .where('telegram_id', 'in', [a, b])
        .execute();
      assert.equal(users.length, 2);
      assert.ok(users.every((u) => u.age === 35 && u.gender === 'm' && u.onboarded_at !== null));
      const chats = await s.worker.database.db
        .selectFrom('chats')
        .innerJoin('users', 'users.id', 'chats.user_a')
        .select('chats.id')
        .where('users.telegram_id', '=', a)
        .execute();
      assert.equal(chats.length, 1);
    });

    it("never shows anyone another user's id, name or username", async () => {
      const s = stack();
      const [a, b] = await pairUp(s, ['Alice Secret', 'Bob Hidden']);
      await s.send(a, { text: 'hi' });
      await s.send(b, { text: 'hello' });
      await s.waitFor(a, (e) => e.message.text === 'hello');
      await s.send(b, { text: '/stop' });
      await s.settle();
      assert.doesNotMatch(await received(s, b), new RegExp(`${a}|Alice|Secret`));
      assert.doesNotMatch(await received(s, a), new RegExp(`${b}|Bob|Hidden`));
    });

    it('settings change who you meet, matchmaking follows, and a forged button changes nothing', async () => {
      const s = stack();
      const configure = async (name: string, gender: 'm' | 'f', wants: 'm' | 'f') => {
        const id = await s.onboarded(name, { gender });
        await s.send(id, { text: t('en', 'button.settings') });
        const view = await s.waitFor(id, (e) => e.message.text?.startsWith('⚙️ Settings') ?? false);
        await s.press(id, view.message.message_id, `s:w:${wants}`);
        const label = t('en', `value.wants.${wants}`);
        await s.waitFor(id, (e) => e.message.text?.includes(`You want to meet: ${label}`) ?? false);
        return id;
      };
      const w1 = await configure('W1', 'f', 'm');
      const w2 = await configure('W2', 'f', 'm');
      const m1 = await configure('M1', 'm', 'f');
      await s.send(w1, { text: '/find' });
      await s.waitFor(w1, says('searching'));
      await s.send(w2, { text: '/find' });
      await s.waitFor(w2, says('searching'));
      await s.settle();
      assert.ok(!(await s.chat(w2)).some(says('matched')), 'two women wanting men do not meet');
      await s.send(m1, { text: '/find' });
      await s.waitFor(m1, says('matched'));
      await s.waitFor(w1, says('matched'));
      const view = (await s.chat(w2)).find(
        (e) => e.from_bot && (e.message.text?.startsWith('⚙️ Settings') ?? false),
      );
      await s.press(w2, view!.message.message_id, 's:g:x');
      await s.settle();
      assert.ok((await s.chat(w2)).some((e) => e.message.text?.includes('You are: a woman')));
      // Nobody is left waiting for the next test.
      for (const u of [w1, w2, m1]) await s.send(u, { text: '/stop' });
      await s.settle();
    });

    it('a waiting user who changes settings so that someone waiting fits is matched at once', async () => {
      const s = stack();
      const a = await s.onboarded('Picky', { gender: 'f' });
      await s.send(a, { text: '/settings' });
      const view = await s.waitFor(a, (e) => e.message.text?.startsWith('⚙️ Settings') ?? false);
      await s.press(a, view.message.message_id, 's:w:f');
      const b = await s.onboarded('Man', { gender: 'm' });
      await s.send(a, { text: '/find' });
      await s.send(b, { text: '/find' });
      await s.waitFor(b, says('searching'));
      await s.press(a, view.message.message_id, 's:w:any');
      await s.waitFor(a, says('matched'));
      await s.waitFor(b, says('matched'));
    });

    it('answers 401, 413 and 400 to bad requests and keeps serving', async () => {
      const s = stack();
      const post = (body: string, secret: string | null) =>
        fetch(s.webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
          },
          body,
        });
      const secret = s.config.webhook.secret;
      const update = JSON.stringify({
        update_id: 999_999,
        message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, text: 'x' },
      });
      assert.equal((await post(update, null)).status, 401);
      assert.equal((await post(update, `${secret}x`)).status, 401);
      assert.equal(
        (await post(`{"update_id":1,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`, secret)).status,
        413,
      );
      assert.equal((await post('{not json', secret)).status, 400);
      assert.equal((await post('{"hello":"world"}', secret)).status, 400);
      assert.equal((await post('[1,2,3]', secret)).status, 400);
      assert.equal((await post('{"update_id":5,"message":{"chat":{}}}', secret)).status, 400);
      assert.equal((await post('{"update_id":"5"}', secret)).status, 400, 'no type coercion');
      const [a, b] = await pairUp(s);
      await s.send(a, { text: 'still here' });
      await s.waitFor(b, text('still here'));
    });

    it('takes a redelivered update once', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const sent = await s.send(a, { text: 'once' });
      await s.waitFor(b, text('once'));
      const update = {
        update_id: sent.update_id,
        message: {
          message_id: sent.message_id,
          date: 0,
          chat: { id: a, type: 'private' },
          from: { id: a, is_bot: false, first_name: 'A' },
          text: 'once',
        },
      };
      for (let i = 0; i < 3; i++) {
        const r = await fetch(s.webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': s.config.webhook.secret,
          },
          body: JSON.stringify(update),
        });
        assert.equal(r.status, 200);
      }
      await s.settle();
      assert.equal((await s.chat(b)).filter(text('once')).length, 1);
    });
  });
}
