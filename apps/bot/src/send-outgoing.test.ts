import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OUTGOING_METHODS, type OutgoingMethod } from '@hamdam/domain';
import { BotApi, ProtocolError } from '@hamdam/telegram';
import { sendOutgoing } from './send-outgoing.js';

// What Telegram answers each method with, in the shape its result check expects.
const ANSWERS: Record<OutgoingMethod, unknown> = {
  sendMessage: { message_id: 9, date: 0, chat: { id: 5, type: 'private' }, text: 'hi' },
  copyMessage: { message_id: 9 },
  copyMessages: [{ message_id: 9 }, { message_id: 10 }],
  editMessageText: { message_id: 9, date: 0, chat: { id: 5, type: 'private' }, text: 'hi' },
  editMessageCaption: true,
  editMessageReplyMarkup: true,
  deleteMessage: true,
  answerCallbackQuery: true,
};

let server: Server;
let api: BotApi;
const received: { path: string; body: unknown }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() as OutgoingMethod;
      const params = JSON.parse(body) as { wrongAnswer?: boolean };
      received.push({ path: req.url ?? '', body: params });
      const result = params.wrongAnswer ? 'not a message id' : ANSWERS[method];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  api = new BotApi({ token: '1:t', apiRoot: `http://127.0.0.1:${port}` });
});

after(async () => {
  await api.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('each outbox method is posted to its own Bot API method with its params', async () => {
  for (const method of OUTGOING_METHODS) {
    received.length = 0;
    const params = { chat_id: 5, marker: method };
    assert.deepEqual(await sendOutgoing(api, { method, params }), ANSWERS[method]);
    assert.deepEqual(received, [{ path: `/bot1:t/${method}`, body: params }]);
  }
});

test("an answer of the wrong shape for the method is its method's ProtocolError", async () => {
  const call = { method: 'copyMessage', params: { chat_id: 5, wrongAnswer: true } } as const;
  await assert.rejects(
    sendOutgoing(api, call),
    (err: unknown) => err instanceof ProtocolError && err.method === 'copyMessage',
  );
});
