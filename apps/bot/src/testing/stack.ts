import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openRedis } from '@hamdam/store';
import { loadConfig, type Config, type Env } from '@hamdam/config';
import { t, type Gender, type Language, type TextKey } from '@hamdam/domain';
import { createEmulator, type Emulator } from '@hamdam/emulator';
import { BotApi } from '@hamdam/telegram';
import { createLogger } from '../logger.js';
import { startWorker, type RunningWorker } from '../worker.js';

/** The real servers on loopback that integration tests use. */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const TEST_DATABASE_URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ChatEntry {
  readonly seq: number;
  readonly from_bot: boolean;
  readonly message: {
    message_id: number;
    text?: string;
    caption?: string;
    photo?: unknown;
    contact?: unknown;
  };
  readonly content: string;
  readonly reply_to_message_id?: number;
  readonly media_group_id?: string;
  readonly protect_content?: true;
  readonly edit_date?: number;
  readonly reply_markup?: unknown;
  readonly copied_from?: { chat_id: number; message_id: number };
}

/** A bot message matching one catalogue text in a language (placeholders left out). */
export function says(key: TextKey, lang: Language = 'en') {
  const [first] = t(lang, key).split(/\{\w+\}/);
  return (e: ChatEntry) => (e.message.text ?? '').startsWith(first ?? '');
}

/** The inline buttons of a bot message, as callback data. */
export function buttonsOf(entry: ChatEntry): string[] {
  const markup = entry.reply_markup as
    { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

/** The data of a report question's button for one reason (it names the chat asked about). */
export function reasonButton(ask: ChatEntry, reason: string): string {
  const data = buttonsOf(ask).find((d) => d.startsWith(`r:${reason}:`));
  if (data === undefined) throw new Error(`no "${reason}" button on the report question`);
  return data;
}

/** A throwaway Postgres database on the server of `serverUrl`, dropped by `drop()`. */
export async function scratchDatabase(
  serverUrl = TEST_DATABASE_URL,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hamdam_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Deletes every key under a test prefix. */
export async function dropRedisPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = openRedis(url);
  const keys = await redis.keys(`${prefix.replace(/[{}]/g, '\\$&')}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

export interface Stack {
  readonly emulator: Emulator;
  readonly worker: RunningWorker;
  readonly config: Config;
  readonly webhookUrl: string;
  user(name?: string, languageCode?: string): Promise<number>;
  send(
    userId: number,
    fields: Record<string, unknown>,
  ): Promise<{ update_id: number; message_id: number }>;
  /** The user presses an inline button of a bot message. */
  press(userId: number, messageId: number, data: string): Promise<void>;
  /** The user edits one of their messages. */
  edit(
    userId: number,
    messageId: number,
    fields: { text?: string; caption?: string },
  ): Promise<void>;
  /** The user sends an album of photos. */
  album(userId: number, captions: readonly string[]): Promise<{ message_id: number }[]>;
  /** Posts an update to the webhook as Telegram would (a redelivery, say); resolves to the status. */
  deliver(update: unknown): Promise<number>;
  /** The user blocks the bot, or unblocks it (Telegram sends my_chat_member either way). */
  blockBot(userId: number, blocked: boolean): Promise<void>;
  /** A user with a chosen Telegram id (an admin's, say). */
  userWithId(id: number, name: string, languageCode?: string): Promise<number>;
  /** An existing user through onboarding. */
  onboardUser(
    id: number,
    profile?: { lang?: Language; gender?: Gender; age?: number },
  ): Promise<void>;
  /** A new user, through onboarding (language, gender, age), ready to find a partner. */
  onboarded(
    name: string,
    profile?: { lang?: Language; gender?: Gender; age?: number },
  ): Promise<number>;
  chat(userId: number): Promise<ChatEntry[]>;
  /** Waits until the user's chat holds a bot message matching `match`, and returns it. */
  waitFor(userId: number, match: (e: ChatEntry) => boolean, timeoutMs?: number): Promise<ChatEntry>;
  /** Waits until the bot has nothing left to send. */
  settle(): Promise<void>;
  /**
   * Delays every Bot API answer by `ms` (0: none); `after`: each call takes effect first and
   * only its answer waits, as when Telegram delivered a message the bot has not heard about.
   */
  latency(ms: number, after?: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Emulator plus one worker, wired as in production: the emulator delivers updates to the
 * worker's webhook with the secret header, and the worker sends through the emulator.
 * `shared: true` uses the real Redis and a scratch Postgres database; otherwise the embedded
 * stores.
 */
export async function startStack(options: { shared: boolean; env?: Env }): Promise<Stack> {
  const emulator = createEmulator({
    token: '1000000000:emulated-bot-token-0000000000',
    retryBaseMs: 20,
    retryMaxMs: 200,
  });
  const apiRoot = await emulator.listen();
  const prefix = `test:${randomBytes(5).toString('hex')}:{h}:`;
  const database = options.shared ? await scratchDatabase() : null;
  const env: Env = {
    BOT_API_ROOT: apiRoot,
    LOG_LEVEL: 'silent',
    WORKERS: '1',
    DATA_DIR: `/tmp/hamdam-test-${randomBytes(5).toString('hex')}`,
    CHAT_RATE_PER_SEC: '100',
    CHAT_BURST: '100',
    ...(options.shared
      ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, DATABASE_URL: database!.url }
      : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  // TEST_LOG_LEVEL=debug shows a test's worker logs on stderr.
  const logLevel = (process.env['TEST_LOG_LEVEL'] ?? 'silent') as Config['logLevel'];
  const worker = await startWorker(config, createLogger(logLevel), 0);
  const webhookUrl = `${worker.url}${config.webhook.path}`;
  const api = new BotApi({ token: config.telegram.token, apiRoot });
  await api.setWebhook({
    url: webhookUrl,
    secret_token: config.webhook.secret,
    max_connections: 40,
  });
  await api.close();

  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${apiRoot}/control${path}`, init);
    const json = (await response.json()) as T;
    if (!response.ok)
      throw new Error(`control ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const chat = async (userId: number) =>
    (await control<{ messages: ChatEntry[] }>('GET', `/users/${userId}/chat`)).messages;

  const stack: Stack = {
    emulator,
    worker,
    config,
    webhookUrl,
    async user(name = 'User', languageCode = 'en') {
      return (
        await control<{ id: number }>('POST', '/users', {
          first_name: name,
          language_code: languageCode,
        })
      ).id;
    },
    send: (userId, fields) => control('POST', `/users/${userId}/messages`, fields),
    async press(userId, messageId, data) {
      await control('POST', `/users/${userId}/callbacks`, { message_id: messageId, data });
    },
    async edit(userId, messageId, fields) {
      await control('POST', `/users/${userId}/edits`, { message_id: messageId, ...fields });
    },
    async album(userId, captions) {
      const r = await control<{ results: { message_id: number }[] }>(
        'POST',
        `/users/${userId}/albums`,
        {
          items: captions.map((caption) => ({ photo: true, caption })),
        },
      );
      return r.results;
    },
    async deliver(update) {
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': config.webhook.secret,
        },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async blockBot(userId, blocked) {
      await control('POST', `/users/${userId}/block`, { blocked });
    },
    async userWithId(id, name, languageCode = 'en') {
      return (
        await control<{ id: number }>('POST', '/users', {
          id,
          first_name: name,
          language_code: languageCode,
        })
      ).id;
    },
    async onboarded(name, profile = {}) {
      const id = await stack.user(name, profile.lang ?? 'en');
      await stack.onboardUser(id, profile);
      return id;
    },
    async onboardUser(id, profile = {}) {
      const { lang = 'en', gender = 'm', age = 30 } = profile;
      await stack.send(id, { text: '/start' });
      const language = await stack.waitFor(id, says('onboarding.language', lang));
      await stack.press(id, language.message.message_id, `o:l:${lang}`);
      const asked = await stack.waitFor(id, says('onboarding.gender', lang));
      await stack.press(id, asked.message.message_id, `o:g:${gender}`);
      await stack.waitFor(id, says('onboarding.age', lang));
      await stack.send(id, { text: String(age) });
      await stack.waitFor(id, says('onboarding.done', lang));
    },
    chat,
    async waitFor(userId, match, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await chat(userId)).find((e) => e.from_bot && match(e));
        if (found) return found;
        if (Date.now() > deadline) {
          const seen = (await chat(userId)).map(
            (e) =>
              `${e.from_bot ? 'bot' : 'user'}: ${e.message.text ?? e.message.caption ?? '[media]'}`,
          );
          throw new Error(
            `timed out waiting for a message to ${userId}; chat so far:\n${seen.join('\n')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async settle() {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const stats = await control<{ pending: number; in_flight: number }>('GET', '/stats');
        const due = await worker.dispatcher.idle();
        if (stats.pending === 0 && stats.in_flight === 0 && due) return;
        if (Date.now() > deadline) throw new Error('the bot did not settle');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async latency(ms, after = false) {
      await control('POST', '/latency', { ms, after });
    },
    async close() {
      await worker.close();
      await emulator.close();
      await database?.drop();
      if (options.shared) await dropRedisPrefix(prefix);
    },
  };
  return stack;
}
