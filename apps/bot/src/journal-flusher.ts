import type { Logger } from 'pino';
import { recordChats, type ChatRecord, type DatabaseHandle } from '@hamdam/db';
import type { Journal, JournalEntry } from '@hamdam/store';

export interface JournalFlusherOptions {
  readonly journal: Journal;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** This worker's name in the journal's consumer group. */
  readonly reader: string;
  readonly intervalMs?: number;
  readonly batch?: number;
}

/**
 * Moves the journal (finished chats) to Postgres in batches, off the per-message path. Each
 * worker reads as one member of a consumer group, so a record is written by one worker; a batch
 * is acknowledged only after Postgres stored it, and storing is idempotent on the chat key, so
 * a batch written twice (a crash between write and acknowledgement) is stored once.
 */
export class JournalFlusher {
  readonly #o: Required<JournalFlusherOptions>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(options: JournalFlusherOptions) {
    this.#o = { intervalMs: 1_000, batch: 500, ...options };
  }

  start(): void {
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
    // One last flush, so a clean shutdown leaves nothing behind.
    await this.flush().catch(() => undefined);
  }

  /** Flushes until the journal has nothing left for us; resolves to the number of chats stored. */
  async flush(): Promise<number> {
    const { journal, database, batch, reader } = this.#o;
    let stored = 0;
    for (let round = 0; round < 100; round++) {
      const entries = await journal.read(reader, batch);
      if (entries.length === 0) break;
      const rows = entries.flatMap(chatRecord);
      if (rows.length > 0) stored += (await recordChats(database.db, rows)).inserted;
      await journal.ack(entries.map((e) => e.id));
      if (entries.length < batch) break;
    }
    return stored;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.flush()
        .then(() => undefined)
        .catch((err: unknown) => this.#o.logger.warn({ err }, 'chat records not flushed yet'))
        .finally(() => this.#schedule());
    }, this.#o.intervalMs);
    this.#timer.unref();
  }
}

/** Users who never sent /start have no row to refer to; their chats are not recorded. */
function chatRecord(entry: JournalEntry): ChatRecord[] {
  if (entry.kind !== 'chat-ended' || entry.uidA === null || entry.uidB === null) return [];
  return [
    {
      key: `${entry.startedAt}:${entry.key}`,
      userA: entry.uidA,
      userB: entry.uidB,
      startedAt: new Date(entry.startedAt),
      endedAt: new Date(entry.endedAt),
      endReason: entry.reason,
      messagesA: entry.messagesA,
      messagesB: entry.messagesB,
    },
  ];
}
