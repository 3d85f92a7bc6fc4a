import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoToken,
  fresh,
  rejection,
  reply,
  useFakeTelegram,
  type Handler,
} from './fake-telegram.js';
import { NetworkError, ProtocolError } from './index.js';

// Answers that are not Telegram's, and requests that get no answer at all.

const tg = useFakeTelegram();

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
      const api = fresh(tg);
      tg.handler = answer;
      const error = await rejection(api.getMe());
      assert.ok(error instanceof ProtocolError, `got ${String(error)}`);
      assert.equal(error.name, 'ProtocolError');
      assert.equal(error.method, 'getMe');
      assertNoToken(error);
      await api.close();
    });
  }

  test('the HTTP status is kept', async () => {
    const api = fresh(tg);
    tg.handler = (_req, res) => {
      res.writeHead(502);
      res.end('Bad Gateway');
    };
    const error = await rejection(api.getMe());
    assert.ok(error instanceof ProtocolError);
    assert.equal(error.statusCode, 502);
    await api.close();
  });

  test('a typed helper rejects a result of the wrong shape', async () => {
    const api = fresh(tg);
    tg.handler = reply(200, { ok: true, result: true });
    const error = await rejection(api.sendMessage({ chat_id: 1, text: 'x' }));
    assert.ok(error instanceof ProtocolError);
    assert.match(error.message, /expected shape/);
    tg.handler = reply(200, { ok: true, result: { message_id: 'seven' } });
    assert.ok(
      (await rejection(api.copyMessage({ chat_id: 1, from_chat_id: 2, message_id: 3 }))) instanceof
        ProtocolError,
    );
    await api.close();
  });

  test('an oversized answer is refused', async () => {
    const api = fresh(tg);
    tg.handler = (_req, res) => {
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
    const api = fresh(tg, { timeoutMs: 200 });
    tg.handler = () => {}; // never answers
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
    tg.server.closeAllConnections();
    await api.close();
  });

  test('a closed port is a NetworkError', async () => {
    // Bind and release a port so that nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const api = fresh(tg, { apiRoot: `http://127.0.0.1:${port}` });
    const error = await rejection(api.sendMessage({ chat_id: 1, text: 'x' }));
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assert.match(error.message, /ECONNREFUSED/);
    assertNoToken(error);
    await api.close();
  });

  test('a connection reset before the answer is a NetworkError', async () => {
    const api = fresh(tg);
    tg.handler = (req) => req.socket.destroy();
    const error = await rejection(api.sendMessage({ chat_id: 1, text: 'x' }));
    assert.ok(error instanceof NetworkError, `got ${String(error)}`);
    assertNoToken(error);
    await api.close();
  });

  test('a body cut off half-way is a NetworkError', async () => {
    const api = fresh(tg);
    tg.handler = (req, res) => {
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
    const api = fresh(tg);
    tg.handler = () => {};
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 50);
    const error = await rejection(api.getMe({ signal: controller.signal }));
    assert.equal(error, reason);
    assert.equal(await rejection(api.getMe({ signal: controller.signal })), reason);
    tg.server.closeAllConnections();
    await api.close();
  });
});
