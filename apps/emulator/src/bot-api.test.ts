import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { useEmulator } from './testing/fixtures.js';
import { TOKEN, type AnyMessage as Message } from './testing/harness.js';

describe('Bot API', () => {
  const emu = useEmulator();
  let alice: number;
  let bob: number;

  beforeEach(async () => {
    alice = (await emu.createUser({ first_name: 'Alice' })).id;
    bob = (await emu.createUser({ first_name: 'Bob' })).id;
  });

  it('answers getMe with the bot derived from the token', async () => {
    const res = await emu.api<{ id: number; is_bot: boolean }>('getMe');
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, true);
    assert.equal(res.body.result.id, 123456);
    assert.equal(res.body.result.is_bot, true);
  });

  it('rejects a wrong token with 401 and an unknown method with 404', async () => {
    const wrong = await fetch(`${emu.url}/bot999:nope/getMe`);
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), {
      ok: false,
      error_code: 401,
      description: 'Unauthorized',
    });
    const unknown = await emu.api('sendPigeon');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.description, 'Not Found');
  });

  it('accepts case-insensitive method names, query strings and form encoding with JSON-valued params', async () => {
    const markup = encodeURIComponent(
      JSON.stringify({ keyboard: [['Yes', 'No']], one_time_keyboard: true }),
    );
    const viaQuery = await fetch(
      `${emu.url}/bot${TOKEN}/SENDMESSAGE?chat_id=${alice}&text=hello&reply_markup=${markup}`,
    );
    assert.equal(viaQuery.status, 200);
    const form = new URLSearchParams({
      chat_id: String(bob),
      text: 'hi',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] }),
    });
    const viaForm = await fetch(`${emu.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      body: form,
    });
    const body = (await viaForm.json()) as { result: Message };
    assert.deepEqual(body.result.reply_markup, {
      inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]],
    });
    const chat = await emu.control<{ messages: { reply_markup?: unknown }[] }>(
      'GET',
      `/users/${alice}/chat`,
    );
    assert.deepEqual(chat.body.messages[0]?.reply_markup, {
      keyboard: [[{ text: 'Yes' }, { text: 'No' }]],
      one_time_keyboard: true,
    });
  });

  it('validates sendMessage parameters with Telegram-style 400s', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ text: 'x' }, 'Bad Request: chat_id is empty'],
      [{ chat_id: alice }, 'Bad Request: message text is empty'],
      [{ chat_id: alice, text: '   ' }, 'Bad Request: message text is empty'],
      [{ chat_id: alice, text: 'x'.repeat(4097) }, 'Bad Request: message is too long'],
      [{ chat_id: 42, text: 'x' }, 'Bad Request: chat not found'],
      [{ chat_id: '@someone', text: 'x' }, 'Bad Request: chat not found'],
      [{ chat_id: alice, text: 'x', parse_mode: 'BBCode' }, 'Bad Request: unsupported parse_mode'],
      [
        { chat_id: alice, text: 'x', reply_markup: '{nope' },
        "Bad Request: can't parse reply keyboard markup JSON object",
      ],
      [
        {
          chat_id: alice,
          text: 'x',
          reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(65) }]] },
        },
        'Bad Request: BUTTON_DATA_INVALID',
      ],
      [
        { chat_id: alice, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'a' }]] } },
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
      ],
      [
        { chat_id: alice, text: 'x', reply_parameters: { message_id: 999 } },
        'Bad Request: message to be replied not found',
      ],
      [
        { chat_id: alice, text: 'x', protect_content: 'maybe' },
        'Bad Request: invalid protect_content: expected a boolean',
      ],
    ];
    for (const [params, description] of cases) {
      const res = await emu.api('sendMessage', params);
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.deepEqual(res.body, { ok: false, error_code: 400, description });
    }
  });

  it('renders parse modes and rejects malformed markup', async () => {
    const html = await emu.api('sendMessage', {
      chat_id: alice,
      text: '<b>bold</b> &amp; <i>it</i>',
      parse_mode: 'HTML',
    });
    assert.equal(html.body.result.text, 'bold & it');
    const badHtml = await emu.api('sendMessage', {
      chat_id: alice,
      text: '<div>x</div>',
      parse_mode: 'HTML',
    });
    assert.match(
      badHtml.body.description ?? '',
      /^Bad Request: can't parse entities: Unsupported start tag "div"/,
    );
    const v2 = await emu.api('sendMessage', {
      chat_id: alice,
      text: '*hi* there\\.',
      parse_mode: 'MarkdownV2',
    });
    assert.equal(v2.body.result.text, 'hi there.');
    const badV2 = await emu.api('sendMessage', {
      chat_id: alice,
      text: 'end.',
      parse_mode: 'MarkdownV2',
    });
    assert.equal(badV2.status, 400);
    assert.match(badV2.body.description ?? '', /Character '\.' is reserved/);
  });

  it('answers 403 on every send once the user blocked the bot, and works again after unblocking', async () => {
    await emu.say(alice, { text: 'hello' });
    await emu.control('POST', `/users/${alice}/block`, { blocked: true });
    const forbidden = {
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    };
    const send = await emu.api('sendMessage', { chat_id: alice, text: 'x' });
    assert.equal(send.status, 403);
    assert.deepEqual(send.body, forbidden);
    const copy = await emu.api('copyMessage', {
      chat_id: alice,
      from_chat_id: alice,
      message_id: 1,
    });
    assert.deepEqual(copy.body, forbidden);
    const action = await emu.api('sendChatAction', { chat_id: alice, action: 'typing' });
    assert.deepEqual(action.body, forbidden);
    await emu.control('POST', `/users/${alice}/block`, { blocked: false });
    assert.equal((await emu.api('sendMessage', { chat_id: alice, text: 'back' })).status, 200);
  });

  it('injects 429 faults with retry_after, matched by method and chat, for exactly count calls', async () => {
    const fault = await emu.control('POST', '/faults', {
      method: 'copymessage',
      chat_id: bob,
      count: 2,
      error_code: 429,
      retry_after: 7,
    });
    assert.equal(fault.status, 200);
    await emu.say(alice, { text: 'relay me' });
    const toAlice = await emu.api('copyMessage', {
      chat_id: alice,
      from_chat_id: alice,
      message_id: 1,
    });
    assert.equal(toAlice.status, 200, 'other chats are unaffected');
    for (let i = 0; i < 2; i++) {
      const res = await emu.api('copyMessage', {
        chat_id: bob,
        from_chat_id: alice,
        message_id: 1,
      });
      assert.equal(res.status, 429);
      assert.deepEqual(res.body, {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      });
    }
    const third = await emu.api('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: 1,
    });
    assert.equal(third.status, 200);
  });

  it('injects 500 and 400 faults before validation and rejects invalid fault specs', async () => {
    await emu.control('POST', '/faults', { count: 1, error_code: 500 });
    const res = await emu.api('getMe');
    assert.equal(res.status, 500);
    assert.equal(res.body.description, 'Internal Server Error');
    await emu.control('POST', '/faults', {
      method: 'sendMessage',
      count: 1,
      error_code: 400,
      description: 'Bad Request: nope',
    });
    const bad = await emu.api('sendMessage', {});
    assert.deepEqual(bad.body, { ok: false, error_code: 400, description: 'Bad Request: nope' });
    for (const spec of [
      { count: 0, error_code: 429 },
      { count: 1, error_code: 418 },
      { count: 1, error_code: 429, method: 'sendTelegram' },
      { count: 1, error_code: 500, retry_after: 3 },
      { error_code: 429 },
    ]) {
      const rejected = await emu.control<{ error: string }>('POST', '/faults', spec);
      assert.equal(rejected.status, 400, JSON.stringify(spec));
      assert.equal(typeof rejected.body.error, 'string');
    }
  });

  it('delays every answer by the configured latency', async () => {
    await emu.control('POST', '/latency', { ms: 60 });
    const started = Date.now();
    await emu.api('getMe');
    assert.ok(Date.now() - started >= 55);
    await emu.control('POST', '/latency', { ms: 0 });
    assert.equal((await emu.control('POST', '/latency', { ms: -1 })).status, 400);
    assert.equal((await emu.control('POST', '/latency', { ms: 1, after: 'yes' })).status, 400);
  });

  it('with latency after, a call takes effect before its answer comes', async () => {
    await emu.control('POST', '/latency', { ms: 1_000, after: true });
    try {
      const sent = emu.api('sendMessage', { chat_id: alice, text: 'early' });
      const chat = () =>
        emu.control<{ messages: { message: { text?: string } }[] }>('GET', `/users/${alice}/chat`);
      let seen = false;
      const deadline = Date.now() + 2_000;
      while (!seen && Date.now() < deadline) {
        seen = (await chat()).body.messages.some((e) => e.message.text === 'early');
        if (!seen) await new Promise((r) => setTimeout(r, 10));
      }
      let answered = false;
      void sent.then(() => (answered = true));
      assert.ok(seen, 'the message is there');
      assert.equal(answered, false, 'before the bot has its answer');
      await sent;
    } finally {
      await emu.control('POST', '/latency', { ms: 0 });
    }
  });

  it('answers malformed bodies with 400 instead of failing', async () => {
    const res = await fetch(`${emu.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"chat_id":',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { ok: boolean; description: string };
    assert.equal(body.ok, false);
    assert.match(body.description, /^Bad Request: invalid JSON body/);
    const array = await fetch(`${emu.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    });
    assert.equal(array.status, 400);
    const empty = await fetch(`${emu.url}/bot${TOKEN}/getMe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(empty.status, 200);
  });
});
