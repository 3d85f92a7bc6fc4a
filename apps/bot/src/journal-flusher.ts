import type { Logger } from 'pino';
import { recordChats, type DatabaseHandle } from '@hamdam/db';
import type { ChatStore } from '@hamdam/store';

export interface ChatFlusherOptions {
  readonly store: ChatStore;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly batch?: number;
}

/**
 * Moves finished chats from the store to Postgres in batches, off the per-message path.
 * A batch is acknowledged only after Postgres stored it; storing is idempotent on the chat
 * key, so a batch written twice (a crash between write and acknowledgement, or two workers
 * flushing at once) is stored once.
 */
export class ChatFlusher {
  readonly #o: Required<ChatFlusherOptions>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(options: ChatFlusherOptions) {
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

  /** Flushes until the store has nothing left; resolves to the number of chats stored. */
  async flush(): Promise<number> {
    const { store, database, batch } = this.#o;
    let stored = 0;
    for (let round = 0; round < 100; round++) {
      const ended = await store.readEndedChats(batch);
      if (ended.length === 0) break;
      // Users who never sent /start have no row to refer to; their chats are not recorded.
      const rows = ended.flatMap((c) =>
        c.uidA !== null && c.uidB !== null
          ? [
              {
                key: `${c.startedAt}:${c.key}`,
                userA: c.uidA,
                userB: c.uidB,
                startedAt: new Date(c.startedAt),
                endedAt: new Date(c.endedAt),
                endReason: c.reason,
                messagesA: c.messagesA,
                messagesB: c.messagesB,
              },
            ]
          : [],
      );
      if (rows.length > 0) stored += (await recordChats(database.db, rows)).inserted;
      await store.ackEndedChats(ended.map((c) => c.id));
      if (ended.length < batch) break;
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
