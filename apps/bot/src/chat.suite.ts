import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUTTONS, TEXTS } from '@hamdam/domain';
import { startStack, type ChatEntry, type Stack } from './testing/stack.js';

const text = (t: string) => (e: ChatEntry) => e.message.text === t;

/**
 * The first vertical slice, end to end through the emulator: greet, pair, relay, stop.
 * Runs once with the embedded stores and once with the real Redis and Postgres.
 */
export function sliceSuite(name: string, shared: boolean): void {
  describe(`first slice: ${name}`, () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ shared });
    });
    after(async () => {
      await stack.close();
    });

    async function pair(): Promise<[number, number]> {
      const a = await stack.user('Alice');
      const b = await stack.user('Bob');
      await stack.send(a, { text: '/start' });
      await stack.send(b, { text: '/start' });
      await stack.waitFor(a, text(TEXTS.welcome));
      await stack.send(a, { text: BUTTONS.find });
      await stack.waitFor(a, text(TEXTS.searching));
      await stack.send(b, { text: '/find' });
      await stack.waitFor(a, text(TEXTS.matched));
      await stack.waitFor(b, text(TEXTS.matched));
      return [a, b];
    }

    it('greets with the main keyboard', async () => {
      const a = await stack.user();
      await stack.send(a, { text: '/start' });
      const welcome = await stack.waitFor(a, text(TEXTS.welcome));
      const keyboard = welcome.reply_markup as { keyboard: { text: string }[][] };
      assert.ok(keyboard.keyboard.flat().some((b) => b.text === BUTTONS.find));
    });

    it('pairs two searching users and relays text and media to the partner only', async () => {
      const [a, b] = await pair();
      const bystander = await stack.user('Carol');
      await stack.send(bystander, { text: '/start' });
      const hello = await stack.send(a, { text: 'hello from a' });
      const photo = await stack.send(b, { photo: true, caption: 'a picture' });
      const gotText = await stack.waitFor(b, (e) => e.message.text === 'hello from a');
      assert.deepEqual(gotText.copied_from, { chat_id: a, message_id: hello.message_id });
      const gotPhoto = await stack.waitFor(a, (e) => e.message.caption === 'a picture');
      assert.deepEqual(gotPhoto.copied_from, { chat_id: b, message_id: photo.message_id });
      assert.ok(gotPhoto.message.photo, 'the copy is a photo');
      await stack.settle();
      // Exactly once, and nowhere else.
      assert.equal(
        (await stack.chat(b)).filter((e) => e.message.text === 'hello from a').length,
        2 - 1,
      );
      assert.equal(
        (await stack.chat(a)).filter((e) => e.from_bot && e.message.caption === 'a picture').length,
        1,
      );
      assert.ok((await stack.chat(bystander)).every((e) => !e.copied_from));
    });

    it('stop ends the chat for both', async () => {
      const [a, b] = await pair();
      await stack.send(b, { text: '/stop' });
      await stack.waitFor(b, text(TEXTS.youEnded));
      await stack.waitFor(a, text(TEXTS.partnerEnded));
      await stack.send(a, { text: 'anyone there?' });
      await stack.waitFor(a, text(TEXTS.notChatting));
      await stack.settle();
      // The finished chat reaches Postgres, off the message path, with who ended it and why.
      await stack.worker.flushChats();
      const rows = await stack.worker.database.db
        .selectFrom('chats')
        .innerJoin('users as ua', 'ua.id', 'chats.user_a')
        .innerJoin('users as ub', 'ub.id', 'chats.user_b')
        .select([
          'ua.telegram_id as a',
          'ub.telegram_id as b',
          'chats.end_reason',
          'chats.ended_at',
        ])
        .where('ua.telegram_id', '=', b)
        .execute();
      assert.equal(rows.length, 1);
      assert.deepEqual([rows[0]!.a, rows[0]!.b, rows[0]!.end_reason], [b, a, 'stop']);
      assert.equal(await stack.worker.flushChats(), 0, 'flushing again stores nothing twice');
      assert.ok(
        (await stack.chat(b)).every((e) => e.message.text !== 'anyone there?' || !e.from_bot),
      );
    });

    it('never reveals who the partner is', async () => {
      const [a, b] = await pair();
      await stack.send(a, { text: 'hi' });
      await stack.waitFor(b, (e) => e.message.text === 'hi');
      await stack.settle();
      for (const entry of await stack.chat(b)) {
        if (!entry.from_bot) continue;
        const shown = JSON.stringify(entry.message);
        assert.ok(!shown.includes(String(a)), 'the partner id never appears in what the bot sends');
        assert.ok(!shown.includes('Alice'), 'nor the partner name');
      }
    });

    it('settings set who you are and whom you meet, and matchmaking follows them', async () => {
      const press = async (user: number, messageId: number, data: string) => {
        const r = await fetch(`${stack.config.telegram.apiRoot}/control/users/${user}/callbacks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message_id: messageId, data }),
        });
        assert.equal(r.status, 200);
      };
      const configure = async (name: string, gender: string, wants: string) => {
        const id = await stack.user(name);
        await stack.send(id, { text: '/settings' });
        const view = await stack.waitFor(
          id,
          (e) => e.message.text?.startsWith('⚙️ Settings') ?? false,
        );
        await press(id, view.message.message_id, `p:g:${gender}`);
        await stack.waitFor(
          id,
          (e) =>
            e.message.text?.includes(`You are: a ${gender === 'm' ? 'man' : 'woman'}`) ?? false,
        );
        await press(id, view.message.message_id, `p:w:${wants}`);
        const label = { m: 'men', f: 'women', any: 'anyone' }[wants];
        await stack.waitFor(id, (e) => e.message.text?.includes(`meet: ${label}`) ?? false);
        return id;
      };
      const w1 = await configure('W1', 'f', 'm');
      const w2 = await configure('W2', 'f', 'm');
      const m1 = await configure('M1', 'm', 'f');
      await stack.send(w1, { text: '/find' });
      await stack.waitFor(w1, text(TEXTS.searching));
      await stack.send(w2, { text: '/find' });
      await stack.waitFor(w2, text(TEXTS.searching));
      await stack.settle();
      assert.ok(
        (await stack.chat(w2)).every((e) => e.message.text !== TEXTS.matched),
        'two women wanting men do not meet',
      );
      await stack.send(m1, { text: '/find' });
      await stack.waitFor(m1, text(TEXTS.matched));
      await stack.waitFor(w1, text(TEXTS.matched));
      // A button the bot never sent is answered and changes nothing.
      const view = (await stack.chat(w2)).find((e) => e.message.text?.startsWith('⚙️ Settings'));
      await press(w2, view!.message.message_id, 'p:g:x');
      await stack.settle();
      assert.ok((await stack.chat(w2)).some((e) => e.message.text?.includes('You are: a woman')));
    });

    it('answers 401, 413 and 400 to bad requests and keeps serving', async () => {
      const post = (body: string, secret: string | null) =>
        fetch(stack.webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
          },
          body,
        });
      const secret = stack.config.webhook.secret;
      const update = JSON.stringify({
        update_id: 999_999,
        message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, text: 'x' },
      });
      assert.equal((await post(update, null)).status, 401);
      assert.equal((await post(update, `${secret}x`)).status, 401);
      assert.equal((await post(update, 'short')).status, 401);
      assert.equal(
        (await post(`{"update_id":1,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`, secret)).status,
        413,
      );
      assert.equal((await post('{not json', secret)).status, 400);
      assert.equal((await post('{"hello":"world"}', secret)).status, 400);
      assert.equal((await post('[1,2,3]', secret)).status, 400);
      assert.equal((await post('{"update_id":5,"message":{"chat":{}}}', secret)).status, 400);
      // Still serving real traffic.
      const [a, b] = await pair();
      await stack.send(a, { text: 'still here' });
      await stack.waitFor(b, (e) => e.message.text === 'still here');
    });

    it('takes a redelivered update once', async () => {
      const [a, b] = await pair();
      const update = {
        update_id: 5_000_000 + Math.floor(Math.random() * 1000),
        message: {
          message_id: 4242,
          date: 0,
          chat: { id: a, type: 'private' },
          from: { id: a, is_bot: false, first_name: 'A' },
          text: 'x',
        },
      };
      for (let i = 0; i < 3; i++) {
        const r = await fetch(stack.webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': stack.config.webhook.secret,
          },
          body: JSON.stringify(update),
        });
        assert.equal(r.status, 200);
      }
      await stack.settle();
      // The emulator answers the copy of an unknown message with 400, so count attempts at
      // the Bot API instead: one copy was tried, whatever its fate.
      const received = (await stack.chat(b)).filter(
        (e) => e.from_bot && e.copied_from?.message_id === 4242,
      );
      assert.ok(received.length <= 1);
      const sender = await stack.chat(a);
      assert.equal(
        sender.filter((e) => e.message.text === TEXTS.notDelivered).length,
        1,
        'one attempt, one notice',
      );
    });
  });
}

/** How the dispatcher settles Telegram's refusals: 429 waits, 403 ends the chat. */
export function sendingSuite(name: string, shared: boolean): void {
  describe(`sending: ${name}`, () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ shared });
    });
    after(async () => {
      await stack.close();
    });
    const control = (path: string, body: unknown) =>
      fetch(`${stack.config.telegram.apiRoot}/control${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    async function pair(): Promise<[number, number]> {
      const a = await stack.user('A');
      const b = await stack.user('B');
      await stack.send(a, { text: '/find' });
      await stack.waitFor(a, text(TEXTS.searching));
      await stack.send(b, { text: '/find' });
      await stack.waitFor(b, text(TEXTS.matched));
      await stack.waitFor(a, text(TEXTS.matched));
      return [a, b];
    }

    it('waits retry_after on 429 and then delivers once', async () => {
      const [a, b] = await pair();
      const fault = await control('/faults', {
        method: 'copyMessage',
        chat_id: b,
        count: 1,
        error_code: 429,
        retry_after: 1,
      });
      assert.equal(fault.status, 200);
      const started = Date.now();
      await stack.send(a, { text: 'after the flood wait' });
      await stack.waitFor(b, (e) => e.message.text === 'after the flood wait');
      assert.ok(Date.now() - started >= 900, 'not sent again before retry_after');
      await stack.settle();
      const copies = (await stack.chat(b)).filter((e) => e.message.text === 'after the flood wait');
      assert.equal(copies.length, 1);
    });

    it('ends the chat when a send meets 403, and tells the partner', async () => {
      const [a, b] = await pair();
      await control('/faults', { method: 'copyMessage', chat_id: b, count: 1, error_code: 403 });
      await stack.send(a, { text: 'are you there?' });
      await stack.waitFor(a, text(TEXTS.partnerLeft));
      await stack.send(a, { text: 'hello?' });
      await stack.waitFor(a, text(TEXTS.notChatting));
    });

    it('ends the chat when the partner blocks the bot (my_chat_member)', async () => {
      const [a, b] = await pair();
      await control(`/users/${b}/block`, { blocked: true });
      await stack.waitFor(a, text(TEXTS.partnerLeft));
    });
  });
}
