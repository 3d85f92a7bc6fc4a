import type { Journal, JournalEntry } from '../journal.js';
import { toEntry } from './journal-entry.js';
import { JOURNAL_GROUP, KEY } from './keys.js';
import type { LuaRunner } from './lua-runner.js';

export interface RedisJournalOptions {
  /** An entry a reader took and did not acknowledge for this long goes to another reader. */
  readonly claimIdleMs: number;
}

type StreamEntry = [id: string, fields: string[]];

/** The journal as a Redis stream read through a consumer group (XREADGROUP, XACK, XAUTOCLAIM). */
export class RedisJournal implements Journal {
  readonly #lua: LuaRunner;
  readonly #key: string;
  readonly #claimIdleMs: number;
  #group: Promise<void> | null = null;

  constructor(redis: LuaRunner, options: RedisJournalOptions) {
    this.#lua = redis;
    this.#key = redis.key(KEY.journal);
    this.#claimIdleMs = options.claimIdleMs;
  }

  async read(reader: string, count: number): Promise<JournalEntry[]> {
    try {
      return await this.#read(reader, count);
    } catch (err) {
      // Redis lost the stream and its group (a restart without persistence, a restore from
      // an older backup): make them again and go on.
      if (!String((err as Error).message).includes('NOGROUP')) throw err;
      this.#group = null;
      return this.#read(reader, count);
    }
  }

  async #read(reader: string, count: number): Promise<JournalEntry[]> {
    await this.#ensureGroup();
    const client = this.#lua.client;
    // Entries a dead reader took first, so a crash delays records but never loses them.
    const [, abandoned] = (await this.#lua.command(() =>
      client.xautoclaim(this.#key, JOURNAL_GROUP, reader, this.#claimIdleMs, '0-0', 'COUNT', count),
    )) as [string, StreamEntry[], ...unknown[]];
    const rest = count - abandoned.length;
    const fresh =
      rest > 0
        ? ((await this.#lua.command(() =>
            client.xreadgroup(
              'GROUP',
              JOURNAL_GROUP,
              reader,
              'COUNT',
              rest,
              'STREAMS',
              this.#key,
              '>',
            ),
          )) as [string, StreamEntry[]][] | null)
        : null;
    return [...abandoned, ...(fresh?.[0]?.[1] ?? [])].map(([id, fields]) => toEntry(id, fields));
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const client = this.#lua.client;
    // Acknowledged and deleted together: the stream holds only what is not yet in Postgres.
    await this.#lua.command(() =>
      client
        .multi()
        .xack(this.#key, JOURNAL_GROUP, ...ids)
        .xdel(this.#key, ...ids)
        .exec(),
    );
  }

  #ensureGroup(): Promise<void> {
    this.#group ??= this.#lua
      .command(() => this.#lua.client.xgroup('CREATE', this.#key, JOURNAL_GROUP, '0', 'MKSTREAM'))
      .then(
        () => undefined,
        (err: unknown) => {
          if (String((err as Error).cause ?? err).includes('BUSYGROUP')) return;
          this.#group = null;
          throw err;
        },
      );
    return this.#group;
  }
}
