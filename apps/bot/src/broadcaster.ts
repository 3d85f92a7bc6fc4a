import type { Logger } from 'pino';
import {
  countReachableUsers,
  isDatabaseUnavailable,
  reachableUsers,
  type DatabaseHandle,
} from '@hamdam/db';
import { replyRef, type Outgoing } from '@hamdam/domain';
import type { BroadcastRequest, StateStore } from '@hamdam/store';

export interface BroadcasterOptions {
  readonly state: StateStore;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Messages queued per second; the global send budget applies on top. */
  readonly ratePerSec: number;
  readonly progressEveryMs?: number;
}

/**
 * Sends one message to every reachable user. The list comes from Postgres, page by page, at a
 * steady rate; the state (cursor, counts) lives in the store, so whichever worker holds the
 * lease carries a broadcast on after a restart. Postgres out of reach: the admin is told to
 * try again shortly, and a running broadcast waits for it. A page is queued only by the
 * current lease holder from the cursor it read, so a holder that stalled cannot queue it twice.
 */
export class Broadcaster {
  readonly #o: Required<BroadcasterOptions>;

  constructor(options: BroadcasterOptions) {
    this.#o = { progressEveryMs: 30_000, ...options };
  }

  async start(actor: BroadcastRequest, call: Outgoing): Promise<void> {
    const { state, database } = this.#o;
    let total: number;
    try {
      total = await countReachableUsers(database.db);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      await state.outbox.say({ ...actor, payload: replyRef('tryAgainShortly') });
      return;
    }
    await state.broadcasts.start(actor, call, total);
  }

  /** Stops the broadcast under way; the store tells the admin. */
  async cancel(actor: BroadcastRequest): Promise<void> {
    await this.#o.state.broadcasts.cancel(actor);
  }

  /** One turn of the lease holder `owner`: queue the next page, tell the admin, finish. */
  async tick(intervalMs: number, owner: string): Promise<void> {
    const { state, database, ratePerSec, progressEveryMs, logger } = this.#o;
    const status = await state.broadcasts.status();
    if (!status || status.state !== 'running') return;
    if (!status.allQueued) {
      const limit = Math.max(1, Math.round((ratePerSec * intervalMs) / 1000));
      try {
        const page = await reachableUsers(database.db, status.cursor, limit);
        const last = page[page.length - 1];
        await state.broadcasts.enqueue({
          owner,
          after: status.cursor,
          cursor: last?.id ?? status.cursor,
          chats: page.map((u) => u.telegramId),
          last: page.length < limit,
        });
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        logger.warn('broadcast waits for Postgres');
        return;
      }
    }
    await state.broadcasts.check(progressEveryMs);
  }
}
