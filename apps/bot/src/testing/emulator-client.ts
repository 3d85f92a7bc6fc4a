import { t, type Gender, type Language, type TextKey } from '@hamdam/domain';
import { waitUntil } from './topology.js';

/** What a test sees of a chat entry through the emulator's control API. */
export interface LogEntry {
  readonly from_bot: boolean;
  readonly message: { message_id: number; text?: string };
  readonly copied_from?: { chat_id: number; message_id: number };
}

/**
 * The emulator's control API, for tests that drive a whole topology (several workers behind
 * nginx): create users, send as them, press buttons, read their chats, onboard them.
 */
export class EmulatorClient {
  readonly #url: string;

  constructor(emulatorUrl: string) {
    this.#url = emulatorUrl;
  }

  async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#url}/control${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  async user(lang: Language = 'en'): Promise<number> {
    return (
      await this.control<{ id: number }>('POST', '/users', { first_name: 'U', language_code: lang })
    ).id;
  }

  send(id: number, fields: object): Promise<{ update_id: number; message_id: number }> {
    return this.control('POST', `/users/${id}/messages`, fields);
  }

  async press(id: number, messageId: number, data: string): Promise<void> {
    await this.control('POST', `/users/${id}/callbacks`, { message_id: messageId, data });
  }

  async chat(id: number): Promise<LogEntry[]> {
    return (await this.control<{ messages: LogEntry[] }>('GET', `/users/${id}/chat`)).messages;
  }

  /** Waits for a bot message starting with a catalogue text; returns it. */
  async waitFor(
    id: number,
    key: TextKey,
    lang: Language = 'en',
    timeoutMs = 30_000,
  ): Promise<LogEntry> {
    const start = t(lang, key).split(/\{\w+\}/)[0] ?? '';
    let found: LogEntry | undefined;
    await waitUntil(
      async () => {
        found = (await this.chat(id)).find(
          (e) => e.from_bot && (e.message.text ?? '').startsWith(start),
        );
        return found !== undefined;
      },
      timeoutMs,
      `${id} never got "${key}"`,
    );
    return found!;
  }

  /** A new user, onboarded: language, gender and age answered as a person would. */
  async onboarded(
    profile: { lang?: Language; gender?: Gender; age?: number } = {},
  ): Promise<number> {
    const { lang = 'en', gender = 'm', age = 30 } = profile;
    const id = await this.user(lang);
    await this.send(id, { text: '/start' });
    await this.press(
      id,
      (await this.waitFor(id, 'onboarding.language', lang)).message.message_id,
      `o:l:${lang}`,
    );
    await this.press(
      id,
      (await this.waitFor(id, 'onboarding.gender', lang)).message.message_id,
      `o:g:${gender}`,
    );
    await this.waitFor(id, 'onboarding.age', lang);
    await this.send(id, { text: String(age) });
    await this.waitFor(id, 'onboarding.done', lang);
    return id;
  }
}
