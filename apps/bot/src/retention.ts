import type { Logger } from 'pino';
import { purgeOlderThan, type DatabaseHandle } from '@hamdam/db';

export interface RetentionOptions {
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Finished chats and reports older than this many days are deleted. */
  readonly days: number;
  /** How often the lease holder looks for what has aged out. */
  readonly everyMs?: number;
}

/**
 * Keeps Postgres's records of people no longer than `RETENTION_DAYS`: finished chats and
 * reports older than that are deleted, in small batches, by the worker holding the periodic
 * work's lease. Postgres away: it tries again at the next look.
 */
export class Retention {
  readonly #o: Required<RetentionOptions>;
  #last = 0;

  constructor(options: RetentionOptions) {
    this.#o = { everyMs: 3_600_000, ...options };
  }

  /** One look, when one is due; resolves to what was deleted (null when none was due). */
  async tick(now = Date.now()): Promise<{ chats: number; reports: number } | null> {
    const { database, logger, days, everyMs } = this.#o;
    if (now - this.#last < everyMs) return null;
    this.#last = now;
    try {
      const deleted = await purgeOlderThan(database.db, new Date(now - days * 86_400_000));
      if (deleted.chats + deleted.reports > 0) logger.info(deleted, 'old records deleted');
      return deleted;
    } catch (err) {
      logger.warn({ err }, 'old records not deleted yet');
      return null;
    }
  }
}
