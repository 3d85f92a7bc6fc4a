import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator, type Emulator } from '../emulator.js';
import type { EmulatorOptions } from '../emulator-options.js';
import type { CallbackQuery, ChatMemberUpdated, User } from '@hamdam/telegram';
import type { ChatLogEntry } from '../chat-log.js';
import type { ChatMessage } from '../message-builder.js';

/** Shared helpers for this package's tests: a running emulator and a local webhook receiver. */

type KeysOfUnion<U> = U extends unknown ? keyof U : never;
type ValueOf<U, K extends PropertyKey> = U extends { readonly [P in K]?: infer V } ? V : never;

/**
 * A Message with every field any kind of message has, each optional: what assertions read,
 * since a test knows which kind it expects and a failed expectation should fail the
 * assertion, not the compile.
 */
export type AnyMessage = Pick<ChatMessage, 'message_id' | 'date' | 'chat'> & {
  readonly [K in Exclude<KeysOfUnion<ChatMessage>, 'reply_to_message' | 'from'>]?: ValueOf<
    ChatMessage,
    K
  >;
} & { readonly from: User; readonly reply_to_message?: AnyMessage };

/** The control API's chat entry, with its message flattened the same way. */
export type AnyLogEntry = Omit<ChatLogEntry, 'message'> & { readonly message: AnyMessage };

/** An update as a webhook receives it, with the message kinds flattened for assertions. */
export interface AnyUpdate {
  readonly update_id: number;
  readonly message?: AnyMessage;
  readonly edited_message?: AnyMessage;
  readonly callback_query?: Omit<CallbackQuery, 'message'> & {
    readonly data?: string;
    readonly message?: AnyMessage;
  };
  readonly my_chat_member?: ChatMemberUpdated;
}

export const TOKEN = '123456:TEST-token_abc';

export interface JsonResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Telegram's envelope; `result` is only present when `ok`. */
export interface ApiBody<T> {
  ok: boolean;
  result: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

export type ControlBody = Record<string, unknown>;

export interface TestEmulator {
  readonly emulator: Emulator;
  readonly url: string;
  api<T = AnyMessage>(
    method: string,
    params?: Record<string, unknown>,
  ): Promise<JsonResponse<ApiBody<T>>>;
  control<T = ControlBody>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<JsonResponse<T>>;
  createUser(fields?: Record<string, unknown>): Promise<{ id: number; first_name: string }>;
  say(
    userId: number,
    fields: Record<string, unknown>,
  ): Promise<{ update_id: number; message_id: number }>;
  close(): Promise<void>;
}

export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const emulator = createEmulator({ token: TOKEN, retryBaseMs: 20, retryMaxMs: 200, ...options });
  const url = await emulator.listen();
  const request = async <T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JsonResponse<T>> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url + path, init);
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: response.headers,
    };
  };
  const test: TestEmulator = {
    emulator,
    url,
    api: <T>(method: string, params: Record<string, unknown> = {}) =>
      request<ApiBody<T>>('POST', `/bot${TOKEN}/${method}`, params),
    control: <T>(method: string, path: string, body?: unknown) =>
      request<T>(method, `/control${path}`, body),
    async createUser(fields = {}) {
      const response = await request<{ id: number; first_name: string }>(
        'POST',
        '/control/users',
        fields,
      );
      if (response.status !== 200)
        throw new Error(`createUser failed: ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async say(userId, fields) {
      const response = await request<{ update_id: number; message_id: number }>(
        'POST',
        `/control/users/${userId}/messages`,
        fields,
      );
      if (response.status !== 200) throw new Error(`say failed: ${JSON.stringify(response.body)}`);
      return response.body;
    },
    close: () => emulator.close(),
  };
  return test;
}

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly update: AnyUpdate;
  readonly at: number;
}

export type ReceiverHandler = (
  request: ReceivedRequest,
  res: ServerResponse,
) => void | Promise<void>;

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  handler: ReceiverHandler;
  close(): Promise<void>;
}

/** A webhook endpoint on 127.0.0.1 that records every request; answers 200 unless `handler` says otherwise. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    handler: (_request, res) => {
      res.end('ok');
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        headers: req.headers,
        update: JSON.parse(Buffer.concat(chunks).toString('utf8')) as AnyUpdate,
        at: Date.now(),
      };
      requests.push(request);
      void receiver.handler(request, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  (receiver as { url: string }).url = `http://127.0.0.1:${port}/hook`;
  return receiver;
}

// Generous, because the suite shares two cores with a browser and a whole bot (the
// playground's test): a condition that holds is met in milliseconds anyway.
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface StreamEvent {
  readonly event: string;
  readonly data: unknown;
}

export interface EventStream {
  readonly events: StreamEvent[];
  close(): void;
}

/** Reads /control/stream in the background, collecting parsed Server-Sent Events. */
export async function openStream(baseUrl: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/control/stream`, { signal: controller.signal });
  if (response.body === null) throw new Error('stream has no body');
  const events: StreamEvent[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event !== undefined && data !== undefined)
            events.push({ event, data: JSON.parse(data) as unknown });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return { events, close: () => controller.abort() };
}
