import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { BotApi } from './bot-api.js';

// A tiny stand-in for Telegram on loopback, for BotApi's tests. Each test installs the handler
// it needs; the server records what arrived so tests can check the wire format too.

export const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

export interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface FakeTelegram {
  /** Set when the file's tests start. */
  server: Server;
  root: string;
  handler: Handler;
  received: Received[];
  sockets: number;
}

/** Starts the stand-in before the file's tests and stops it after them. */
export function useFakeTelegram(): FakeTelegram {
  const noAnswer: Handler = (_req, res) => res.end();
  // server and root are filled in by `before`, ahead of every test that reads them.
  const tg = { handler: noAnswer, received: [], sockets: 0 } as unknown as FakeTelegram;
  before(async () => {
    tg.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        tg.received.push({ method: req.method, url: req.url, headers: req.headers, body });
        tg.handler(req, res, body);
      });
    });
    tg.server.on('connection', () => {
      tg.sockets += 1;
    });
    await new Promise<void>((resolve) => tg.server.listen(0, '127.0.0.1', resolve));
    tg.root = `http://127.0.0.1:${(tg.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    tg.server.closeAllConnections();
    await new Promise<void>((resolve) => tg.server.close(() => resolve()));
  });
  return tg;
}

/** A client of the stand-in, with its records cleared. */
export function fresh(
  tg: FakeTelegram,
  overrides: { apiRoot?: string; timeoutMs?: number; connections?: number } = {},
): BotApi {
  tg.received = [];
  tg.sockets = 0;
  return new BotApi({ token: TOKEN, apiRoot: tg.root, ...overrides });
}

export function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export function reply(status: number, value: unknown): Handler {
  return (_req, res) => json(res, status, value);
}

export const botUser = { id: 42, is_bot: true, first_name: 'hamdam', username: 'hamdam_bot' };
export const sentMessage = {
  message_id: 7,
  date: 1,
  chat: { id: 1001, type: 'private' },
  text: 'hi',
};

/** Everything a log line or an error report could show must be free of the token. */
export function assertNoToken(error: unknown): void {
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

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to reject');
}
