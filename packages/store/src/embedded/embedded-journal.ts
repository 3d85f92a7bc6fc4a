import type { Journal, JournalEntry } from '../journal.js';
import { KEY } from '../redis/keys.js';
import { toEntry } from '../redis/journal-entry.js';
import type { LuaRunner } from '../redis/lua-runner.js';
import { FIELD_SEPARATOR } from './embedded-redis.js';

/**
 * The journal of the embedded engine, which has no consumer groups (see embedded-redis.ts): a
 * list read from its head by the one process there is. `ack` pops the entries it names.
 */
export class EmbeddedJournal implements Journal {
  readonly #lua: LuaRunner;
  readonly #key: string;

  constructor(redis: LuaRunner) {
    this.#lua = redis;
    this.#key = redis.key(KEY.journal);
  }

  async read(_reader: string, count: number): Promise<JournalEntry[]> {
    const raw = await this.#lua.command(() => this.#lua.client.lrange(this.#key, 0, count - 1));
    return raw.map((line) => {
      const [id, ...fields] = line.split(FIELD_SEPARATOR);
      return toEntry(id!, fields);
    });
  }

  async ack(ids: readonly string[]): Promise<void> {
    const done = new Set(ids);
    for (;;) {
      const head = await this.#lua.command(() => this.#lua.client.lindex(this.#key, 0));
      if (head === null || !done.has(head.split(FIELD_SEPARATOR, 1)[0]!)) return;
      await this.#lua.command(() => this.#lua.client.lpop(this.#key));
    }
  }
}
