import { Pool } from 'undici';
import type { EmulatorStats } from '@hamdam/emulator';

/** One update for `POST /control/updates`. */
export type BatchItem =
  | { user_id: number; kind: 'message'; text?: string; photo?: true; caption?: string }
  | { user_id: number; kind: 'callback'; message_id: number; data: string };

export type { EmulatorStats };

/** The emulator's control API, the load test's only way to act as Telegram users. */
export class EmulatorClient {
  readonly #pool: Pool;

  constructor(baseUrl: string) {
    this.#pool = new Pool(baseUrl, { connections: 16, keepAliveTimeout: 30_000 });
  }

  async #json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await this.#pool.request({
      method,
      path,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300)
      throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }

  /** Creates `count` users, a few requests at a time; returns their ids in order. */
  async createUsers(count: number): Promise<number[]> {
    const ids = new Array<number>(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        ids[i] = (
          await this.#json<{ id: number }>('POST', '/control/users', { first_name: `vu${i}` })
        ).id;
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    return ids;
  }

  async inject(updates: readonly BatchItem[]): Promise<void> {
    await this.#json('POST', '/control/updates', { updates });
  }

  stats(): Promise<EmulatorStats> {
    return this.#json<EmulatorStats>('GET', '/control/stats');
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
