import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  BotApi,
  BotApiClosedError,
  NetworkError,
  ProtocolError,
  TelegramError,
  type Message,
} from './index.js';
import { redactError } from './redact-error.js';

// A tiny stand-in for Telegram on loopback. Each test installs the handler it needs; the
// server records what arrived so tests can check the wire format too.

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let root: string;
let handler: Handler = (_req, res) => res.end();
let received: Received[] = [];
let sockets = 0;

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function reply(status: number, value: unknown): Handler {
  return (_req, res) => json(res, status, value);
}

const botUser = { id: 42, is_bot: true, first_name: 'hamdam', username: 'hamdam_bot' };
const sentMessage = { message_id: 7, date: 1, chat: { id: 1001, type: 'private' }, text: 'hi' };

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', () => {
    sockets += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function fresh(overrides: { apiRoot?: string; timeoutMs?: number; connections?: number } = {}) {
  received = [];
  sockets = 0;
  return new BotApi({ token: TOKEN, apiRoot: root, ...overrides });
}

/** Everything a log line or an error report could show must be free of the token. */
function assertNoToken(error: unknown): void {
  const views = [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: null }),
    error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : '',
    error instanceof Error && error.cause instanceof Error ? (error.cause.stack ?? '') : '',
  ];
  for (const view of views) {
    assert.ok(!view.includes(TOKEN), `token leaked into: ${view.slice(0, 200)}`);
    assert.ok(!view.includes(TOKEN.split(':')[1] ?? TOKEN), 'token secret part leaked');
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to reject');
}

describe('BotApi success paths', () => {
  test('posts JSON to /bot<token>/<method> and returns the result', async () => {
    const api = fresh();
    handler = reply(200, { ok: true, result: sentMessage });
    const message: Message = await api.sendMessage({ chat_id: 1001, text: 'hi' });
    assert.deepEqual(message, sentMessage);
    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, `/bot${TOKEN}/sendMessage`);
    assert.match(request?.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(request?.body ?? ''), { chat_id: 1001, text: 'hi' });
    await api.close();
  });

  test('keeps the path prefix of apiRoot', async () => {
    const api = fresh({ apiRoot: `${root}/tg/` });
    handler = reply(200, { ok: true, result: botUser });
    assert.deepEqual(await api.getMe(), botUser);
    assert.equal(received[0]?.url, `/tg/bot${TOKEN}/getMe`);
    await api.close();
  });

  test('returns arrays and booleans as the methods promise', async () => {
    const api = fresh();
    handler = reply(200, { ok: true, result: [{ message_id: 1 }, { message_id: 2 }] });
    assert.deepEqual(await api.copyMessages({ chat_id: 1, from_chat_id: 2, message_ids: [5, 6] }), [
      { message_id: 1 },
      { message_id: 2 },
    ]);
    handler = reply(200, { ok: true, result: true });
    assert.equal(await api.setMyCommands({ commands: [] }), true);
    assert.equal(await api.deleteMyCommands(), true);
    assert.equal(await api.deleteMessage({ chat_id: 1, message_id: 2 }), true);
    await api.close();
  });

  test('helpers for editMessageCaption and setMyCommands post to their methods', async () => {
    const api = fresh();
    const edited = { ...sentMessage, text: undefined, caption: 'new', edit_date: 2 };
    handler = reply(200, { ok: true, result: edited });
    const result = await api.editMessageCaption({ chat_id: 1001, message_id: 7, caption: 'new' });
    assert.deepEqual(result, JSON.parse(JSON.stringify(edited)));
    handler = reply(200, { ok: true, result: true });
    const commands = [{ command: 'find', description: 'Find a partner' }];
    assert.equal(await api.setMyCommands({ commands }), true);
    assert.deepEqual(
      received.map((r) => r.url),
      [`/bot${TOKEN}/editMessageCaption`, `/bot${TOKEN}/setMyCommands`],
    );
    assert.deepEqual(JSON.parse(received[1]?.body ?? ''), { commands });
    handler = reply(200, { ok: true, result: commands });
    assert.deepEqual(await api.getMyCommands({ language_code: 'fa' }), commands);
    handler = reply(200, { ok: true, result: [{ command: 'find' }] });
    await assert.rejects(api.getMyCommands(), /getMyCommands/);
    await api.close();
  });

  test('reuses keep-alive connections for sequential calls', async () => {
    const api = fresh();
    handler = reply(200, { ok: true, result: true });
    for (let i = 0; i < 20; i++) await api.sendChatAction({ chat_id: 1, action: 'typing' });
    assert.equal(received.length, 20);
    // undici may open a second socket while the first is handing back its finished
    // request, so "reused" means a small constant, not one socket per call.
    assert.ok(sockets <= 2, `opened ${sockets} sockets for 20 calls`);
    await api.close();
  });

  test('never opens more than `connections` sockets', async () => {
    const api = fresh({ connections: 2 });
    const waiting: ServerResponse[] = [];
    handler = (_req, res) => waiting.push(res);
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
    assert.equal(received.length, 6);
    assert.ok(sockets <= 2, `opened ${sockets} sockets`);
    await api.close();
  });
});

describe('BotApi Telegram errors', () => {
  test('400 becomes a TelegramError that is a bad request', async () => {
    const api = fresh();
    handler = reply(400, {
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
    assert.equal('retryAfter' in error, false);
    assertNoToken(error);
    await api.close();
  });

  test('429 carries retry_after', async () => {
    const api = fresh();
    handler = reply(429, {
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
    const api = fresh();
    handler = reply(403, {
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
    const api = fresh();
    handler = (req, res) =>
      json(res, 404, { ok: false, error_code: 404, description: `Not Found: ${req.url ?? ''}` });
    const error = await rejection(api.getMe());
    assert.ok(error instanceof TelegramError);
    assert.equal(error.description, 'Not Found: /bot<token>/getMe');
    assertNoToken(error);
    await api.close();
  });

  test('migrate_to_chat_id is exposed', async () => {
    const api = fresh();
    handler = reply(400, {
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

describe('BotApi protocol errors', () => {
  const cases: [string, Handler][] = [
    ['malformed JSON', (_req, res) => res.end('{"ok": tru')],
    [
      'an HTML 502 page',
      (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      },
    ],
    ['JSON without ok', reply(200, { result: true })],
    ['a non-boolean ok', reply(200, { ok: 'true', result: true })],
    ['ok:true without result', reply(200, { ok: true })],
    ['ok:false without error_code', reply(400, { ok: false, description: 'x' })],
    ['a JSON array', reply(200, [true])],
    ['an empty body', (_req, res) => res.end()],
  ];
  for (const [name, answer] of cases) {
    test(`${name} is a ProtocolError`, async () => {
      const api = fresh();
      handler = answer;
      const error = await rejection(api.getMe());
      assert.ok(error instanceof ProtocolError, `got ${String(error)}`);
      assert.equal(error.name, 'ProtocolError');
      assert.equal(error.method, 'getMe');
      assertNoToken(error);
      await api.close();
    });
  }

  test('the HTTP status is kept', async () => {
    const api = fresh();
    handler = (_req, res) => {
      res.writeHead(502);
      res.end('Bad Gateway');
    };
    const error = await rejection(api.getMe());
    assert.ok(error instanceof ProtocolError);
    assert.equal(error.statusCode, 502);
    await api.close();
  });

  test('a typed helper rejects a result of the wrong shape', async () => {
    const api = fresh();
    handler = reply(200, { ok: true, result: true });
    const error = await rejection(api.sendMessage({ chat_id: 1, text: 'x' }));
    assert.ok(error instanceof ProtocolError);
    assert.match(error.message, /expected shape/);
    handler = reply(200, { ok: true, result: { message_id: 'seven' } });
    assert.ok(
      (await rejection(api.copyMessage({ chat_id: 1, from_chat_id: 2, message_id: 3 }))) instanceof
        ProtocolError,
    );
    await api.close();
  });

  test('an oversized answer is refused', async () => {
    const api = fresh();
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"ok":true,"result":"${'x'.repeat(5 * 1024 * 1024)}"}`);
    };
    const error = await rejection(api.getMe());
    assert.ok(error instanceof ProtocolError);
    assert.match(error.message, /larger than/);
    await api.close();
  });
});

describe('BotApi network errors', () => {
  test('a request with no answer times out as a NetworkError', async () => {
    const api = fresh({ timeoutMs: 200 });
    handler = () => {}; // never answers
    const started = Date.now();
    const error = await rejection(api.getMe());
    const elapsed = Date.now() - started;
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assert.equal(error.name, 'NetworkError');
    assert.equal(error.code, 'HAMDAM_ERR_TELEGRAM_NETWORK');
    assert.equal(error.method, 'getMe');
    assert.ok(error.cause instanceof Error);
    assert.ok(elapsed >= 150 && elapsed < 2_000, `took ${elapsed} ms`);
    assertNoToken(error);
    server.closeAllConnections();
    await api.close();
  });

  test('a closed port is a NetworkError', async () => {
    // Bind and release a port so that nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const api = fresh({ apiRoot: `http://127.0.0.1:${port}` });
    const error = await rejection(api.sendMessage({ chat_id: 1, text: 'x' }));
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assert.match(error.message, /ECONNREFUSED/);
    assertNoToken(error);
    await api.close();
  });

  test('a connection reset before the answer is a NetworkError', async () => {
    const api = fresh();
    handler = (req) => req.socket.destroy();
    const error = await rejection(api.sendMessage({ chat_id: 1, text: 'x' }));
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assertNoToken(error);
    await api.close();
  });

  test('a body cut off half-way is a NetworkError', async () => {
    const api = fresh();
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"ok":true,');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const error = await rejection(api.getMe());
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assertNoToken(error);
    await api.close();
  });

  test("the caller's abort rejects with the caller's reason", async () => {
    const api = fresh();
    handler = () => {};
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 50);
    const error = await rejection(api.getMe({ signal: controller.signal }));
    assert.equal(error, reason);
    assert.equal(await rejection(api.getMe({ signal: controller.signal })), reason);
    server.closeAllConnections();
    await api.close();
  });
});

describe('BotApi lifecycle and input checks', () => {
  test('calls after close() fail without a request', async () => {
    const api = fresh();
    await api.close();
    await api.close();
    const error = await rejection(api.getMe());
    assert.ok(error instanceof BotApiClosedError);
    assert.equal(received.length, 0);
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
    const api = fresh();
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
