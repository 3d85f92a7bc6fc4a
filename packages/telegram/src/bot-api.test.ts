import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import {
  assertNoToken,
  botUser,
  fresh,
  json,
  rejection,
  reply,
  sentMessage,
  TOKEN,
  useFakeTelegram,
} from './fake-telegram.js';
import { BotApi, BotApiClosedError, TelegramError, type Message } from './index.js';
import { redactError } from './redact-error.js';

const tg = useFakeTelegram();

describe('BotApi success paths', () => {
  test('posts JSON to /bot<token>/<method> and returns the result', async () => {
    const api = fresh(tg);
    tg.handler = reply(200, { ok: true, result: sentMessage });
    const message: Message = await api.sendMessage({ chat_id: 1001, text: 'hi' });
    assert.deepEqual(message, sentMessage);
    assert.equal(tg.received.length, 1);
    const [request] = tg.received;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, `/bot${TOKEN}/sendMessage`);
    assert.match(request?.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(request?.body ?? ''), { chat_id: 1001, text: 'hi' });
    await api.close();
  });

  test('keeps the path prefix of apiRoot', async () => {
    const api = fresh(tg, { apiRoot: `${tg.root}/tg/` });
    tg.handler = reply(200, { ok: true, result: botUser });
    assert.deepEqual(await api.getMe(), botUser);
    assert.equal(tg.received[0]?.url, `/tg/bot${TOKEN}/getMe`);
    await api.close();
  });

  test('returns arrays and booleans as the methods promise', async () => {
    const api = fresh(tg);
    tg.handler = reply(200, { ok: true, result: [{ message_id: 1 }, { message_id: 2 }] });
    assert.deepEqual(await api.copyMessages({ chat_id: 1, from_chat_id: 2, message_ids: [5, 6] }), [
      { message_id: 1 },
      { message_id: 2 },
    ]);
    tg.handler = reply(200, { ok: true, result: true });
    assert.equal(await api.setMyCommands({ commands: [] }), true);
    assert.equal(await api.deleteMyCommands(), true);
    assert.equal(await api.deleteMessage({ chat_id: 1, message_id: 2 }), true);
    await api.close();
  });

  test('helpers for editMessageCaption and setMyCommands post to their methods', async () => {
    const api = fresh(tg);
    const edited = { ...sentMessage, text: undefined, caption: 'new', edit_date: 2 };
    tg.handler = reply(200, { ok: true, result: edited });
    const result = await api.editMessageCaption({ chat_id: 1001, message_id: 7, caption: 'new' });
    assert.deepEqual(result, JSON.parse(JSON.stringify(edited)));
    tg.handler = reply(200, { ok: true, result: true });
    const commands = [{ command: 'find', description: 'Find a partner' }];
    assert.equal(await api.setMyCommands({ commands }), true);
    assert.deepEqual(
      tg.received.map((r) => r.url),
      [`/bot${TOKEN}/editMessageCaption`, `/bot${TOKEN}/setMyCommands`],
    );
    assert.deepEqual(JSON.parse(tg.received[1]?.body ?? ''), { commands });
    tg.handler = reply(200, { ok: true, result: commands });
    assert.deepEqual(await api.getMyCommands({ language_code: 'fa' }), commands);
    tg.handler = reply(200, { ok: true, result: [{ command: 'find' }] });
    await assert.rejects(api.getMyCommands(), /getMyCommands/);
    await api.close();
  });

  test('reuses keep-alive connections for sequential calls', async () => {
    const api = fresh(tg);
    tg.handler = reply(200, { ok: true, result: true });
    for (let i = 0; i < 20; i++) await api.sendChatAction({ chat_id: 1, action: 'typing' });
    assert.equal(tg.received.length, 20);
    // undici may open a second socket while the first is handing back its finished
    // request, so "reused" means a small constant, not one socket per call.
    assert.ok(tg.sockets <= 2, `opened ${tg.sockets} sockets for 20 calls`);
    await api.close();
  });

  test('never opens more than `connections` sockets', async () => {
    const api = fresh(tg, { connections: 2 });
    const waiting: ServerResponse[] = [];
    tg.handler = (_req, res) => waiting.push(res);
    // Answer whatever has arrived every 20 ms, so requests pile up if the pool lets them.
    const pump = setInterval(() => {
      for (const r of waiting.splice(0)) json(r, 200, { ok: true, result: true });
    }, 20);
    try {
      const calls = Array.from({ length: 6 }, () =>
        api.sendChatAction({ chat_id: 1, action: 'typing' }),
      );
      assert.deepEqual(await Promise.all(calls), Array(6).fill(true));
    } finally {
      clearInterval(pump);
    }
    assert.equal(tg.received.length, 6);
    assert.ok(tg.sockets <= 2, `opened ${tg.sockets} sockets`);
    await api.close();
  });
});

describe('BotApi Telegram errors', () => {
  test('400 becomes a TelegramError that is a bad request', async () => {
    const api = fresh(tg);
    tg.handler = reply(400, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: chat not found',
    });
    const error = await rejection(api.sendMessage({ chat_id: 5, text: 'x' }));
    assert.ok(error instanceof TelegramError);
    assert.equal(error.name, 'TelegramError');
    assert.equal(error.code, 'HAMDAM_ERR_TELEGRAM');
    assert.equal(error.method, 'sendMessage');
    assert.equal(error.errorCode, 400);
    assert.equal(error.description, 'Bad Request: chat not found');
    assert.equal(error.isBadRequest, true);
    assert.equal(error.isRateLimited, false);
    assert.equal(error.isBlocked, false);
    assert.equal(error.isNotModified, false);
    assert.equal('retryAfter' in error, false);
    assertNoToken(error);
    await api.close();
  });

  test('an edit that changes nothing is a bad request that says so', async () => {
    const api = fresh(tg);
    tg.handler = reply(400, {
      ok: false,
      error_code: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    const error = await rejection(api.editMessageText({ chat_id: 5, message_id: 7, text: 'x' }));
    assert.ok(error instanceof TelegramError);
    assert.equal(error.isBadRequest, true);
    assert.equal(error.isNotModified, true);
    await api.close();
  });

  test('429 carries retry_after', async () => {
    const api = fresh(tg);
    tg.handler = reply(429, {
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    const error = await rejection(api.copyMessage({ chat_id: 1, from_chat_id: 2, message_id: 3 }));
    assert.ok(error instanceof TelegramError);
    assert.equal(error.isRateLimited, true);
    assert.equal(error.retryAfter, 7);
    assertNoToken(error);
    await api.close();
  });

  test('403 means the user blocked the bot', async () => {
    const api = fresh(tg);
    tg.handler = reply(403, {
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const error = await rejection(api.sendMessage({ chat_id: 1, text: 'x' }));
    assert.ok(error instanceof TelegramError);
    assert.equal(error.isBlocked, true);
    assert.equal(error.isBadRequest, false);
    assertNoToken(error);
    await api.close();
  });

  test('a description that echoes the request path is masked', async () => {
    const api = fresh(tg);
    tg.handler = (req, res) =>
      json(res, 404, { ok: false, error_code: 404, description: `Not Found: ${req.url ?? ''}` });
    const error = await rejection(api.getMe());
    assert.ok(error instanceof TelegramError);
    assert.equal(error.description, 'Not Found: /bot<token>/getMe');
    assertNoToken(error);
    await api.close();
  });

  test('migrate_to_chat_id is exposed', async () => {
    const api = fresh(tg);
    tg.handler = reply(400, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1001234567890 },
    });
    const error = await rejection(api.sendMessage({ chat_id: -5, text: 'x' }));
    assert.ok(error instanceof TelegramError);
    assert.equal(error.migrateToChatId, -1001234567890);
    await api.close();
  });
});

describe('BotApi lifecycle and input checks', () => {
  test('calls after close() fail without a request', async () => {
    const api = fresh(tg);
    await api.close();
    await api.close();
    const error = await rejection(api.getMe());
    assert.ok(error instanceof BotApiClosedError);
    assert.equal(tg.received.length, 0);
  });

  test('bad options are refused without echoing the token', () => {
    for (const token of ['', 'a/b', `${TOKEN} `, `${TOKEN}?x=1`]) {
      assert.throws(
        () => new BotApi({ token }),
        (error: unknown) => {
          assert.ok(error instanceof TypeError);
          assert.ok(token === '' || !error.message.includes(token));
          return true;
        },
      );
    }
    assert.throws(() => new BotApi({ token: TOKEN, apiRoot: 'ftp://x' }), TypeError);
    assert.throws(() => new BotApi({ token: TOKEN, apiRoot: 'not a url' }), TypeError);
    assert.throws(() => new BotApi({ token: TOKEN, apiRoot: 'http://u:p@h' }), TypeError);
    assert.throws(() => new BotApi({ token: TOKEN, connections: 0 }), TypeError);
    assert.throws(() => new BotApi({ token: TOKEN, timeoutMs: -1 }), TypeError);
  });

  test('no method is called by name: the path only ever holds a typed method', async () => {
    const api = fresh(tg);
    // @ts-expect-error the transport under the typed methods is private
    assert.equal(api.call, undefined);
    await api.close();
  });

  test('redactError masks a token that a cause happens to mention', () => {
    const leaky = Object.assign(new Error(`GET /bot${TOKEN}/getMe failed`), { code: 'E_X' });
    const clean = redactError(leaky, TOKEN);
    assert.notEqual(clean, leaky);
    assert.equal(clean.message, 'GET /bot<token>/getMe failed');
    assert.equal((clean as { code?: unknown }).code, 'E_X');
    assertNoToken(clean);
    const harmless = new Error('connect ECONNREFUSED');
    assert.equal(redactError(harmless, TOKEN), harmless);
    assert.ok(redactError('plain string', TOKEN) instanceof Error);
  });
});
