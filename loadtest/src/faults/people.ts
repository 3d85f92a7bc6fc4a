import { t, type TextKey } from '@hamdam/domain';
import type { SentEvent } from '../event-stream.js';

/** What one hand-driven person received from the bot, with when (performance.now()). */
export interface Received {
  readonly kind: SentEvent['kind'];
  readonly messageId: number;
  readonly text: string;
  /** Callback data of its inline buttons. */
  readonly buttons: readonly string[];
  readonly at: number;
}

/** A bot message that starts with one English catalogue text (placeholders left out). */
export const saying =
  (key: TextKey) =>
  (r: Received): boolean =>
    r.text.startsWith(t('en', key).split(/\{\w+\}/)[0] ?? '');

/**
 * People a fault scenario drives by hand next to the virtual users: a flooder, a victim, a
 * user who blocks the bot. They are 15, so matchmaking pairs them only with each other (the
 * virtual users are adults) and the ledger never sees their chats. Their messages arrive
 * through the same event stream, handed over by `observe`.
 */
export class People {
  readonly #base: string;
  readonly #inbox = new Map<number, Received[]>();
  readonly #waiters = new Set<() => void>();

  constructor(emulatorUrl: string) {
    this.#base = `${emulatorUrl}/control`;
  }

  /** For runBlackBox's `observe`: takes the events of these people's chats. */
  observe = (event: SentEvent): boolean => {
    const inbox = this.#inbox.get(event.chat_id);
    if (!inbox) return false;
    inbox.push({
      kind: event.kind,
      messageId: event.message.message_id,
      text: event.message.text ?? event.message.caption ?? '',
      buttons: (event.reply_markup?.inline_keyboard ?? [])
        .flat()
        .flatMap((b) => (b.callback_data ? [b.callback_data] : [])),
      at: performance.now(),
    });
    for (const wake of this.#waiters) wake();
    return true;
  };

  received(id: number): readonly Received[] {
    return this.#inbox.get(id) ?? [];
  }

  /** A new person, onboarded (English, 15). */
  async person(name: string): Promise<number> {
    const { id } = await this.#post<{ id: number }>('/users', {
      first_name: name,
      language_code: 'en',
    });
    this.#inbox.set(id, []);
    await this.say(id, '/start');
    const lang = await this.waitFor(id, saying('onboarding.language'));
    await this.press(id, lang.messageId, 'o:l:en');
    const gender = await this.waitFor(id, saying('onboarding.gender'));
    await this.press(id, gender.messageId, 'o:g:f');
    await this.waitFor(id, saying('onboarding.age'));
    await this.say(id, '15');
    await this.waitFor(id, saying('onboarding.done'));
    return id;
  }

  /** Two new people, paired with each other. */
  async pair(a: string, b: string): Promise<[number, number]> {
    const first = await this.person(a);
    const second = await this.person(b);
    await this.say(first, '/find');
    await this.waitFor(first, saying('searching'));
    await this.say(second, '/find');
    await this.waitFor(first, saying('matched'));
    await this.waitFor(second, saying('matched'));
    return [first, second];
  }

  say(id: number, text: string): Promise<unknown> {
    return this.#post(`/users/${id}/messages`, { text });
  }

  /** Many messages from one person in one request, as fast as the emulator takes them. */
  flood(id: number, texts: readonly string[]): Promise<unknown> {
    return this.#post('/updates', {
      updates: texts.map((text) => ({ user_id: id, kind: 'message', text })),
    });
  }

  press(id: number, messageId: number, data: string): Promise<unknown> {
    return this.#post(`/users/${id}/callbacks`, { message_id: messageId, data });
  }

  blockBot(id: number): Promise<unknown> {
    return this.#post(`/users/${id}/block`, { blocked: true });
  }

  /** The first message from `from` on that matches, waiting up to `timeoutMs`. */
  async waitFor(
    id: number,
    match: (r: Received) => boolean,
    timeoutMs = 15_000,
    from = 0,
  ): Promise<Received> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.received(id).slice(from).find(match);
      if (hit) return hit;
      const left = deadline - performance.now();
      if (left <= 0) {
        // The person's latest messages (the workload's own texts and the bot's), to see why.
        const seen = this.received(id)
          .slice(-8)
          .map((r) => `${r.kind}: ${r.text.slice(0, 60)}`);
        throw new Error(
          `person ${id}: no matching message in ${timeoutMs} ms; latest: ${JSON.stringify(seen)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 250));
        this.#waiters.add(wake);
      });
    }
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.#base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
}
