import type { Logger } from 'pino';
import { isDatabaseUnavailable, savedUser, type DatabaseHandle } from '@hamdam/db';
import type { StateStore } from '@hamdam/store';

export interface RecallOptions {
  readonly state: StateStore;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** False while Postgres has no schema yet. */
  readonly ready: () => boolean;
  /** How long a Find waits for Postgres before it goes on without it. */
  readonly timeoutMs?: number;
}

/** Rebuilds one user's lost live state; resolves true when it did. */
export type Recall = (chatId: number) => Promise<boolean>;

/**
 * Redis holds the live state; Postgres keeps what outlives it. When Redis was lost (or
 * restored from an old backup), a returning user would be asked to onboard again and could
 * meet someone they blocked or reported. Before /start, Find or /settings runs for a user Redis
 * knows no profile of, this looks them up in Postgres and rebuilds profile, ban and whom they
 * are kept apart from (blocks and reports, either way), never over live state. Best effort and bounded: while Postgres is away or slow the step goes on as for a
 * new user, so the chat path never waits on Postgres for long.
 */
export function createRecall(options: RecallOptions): Recall {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const log = options.logger;

  const lookUp = async (chatId: number): Promise<boolean> => {
    const saved = await savedUser(options.database.db, chatId);
    if (!saved) return false;
    const { bannedUntil } = saved;
    return options.state.profiles.restore(chatId, {
      profile: saved.profile,
      apart: saved.apart,
      bannedUntil: bannedUntil instanceof Date ? bannedUntil.getTime() : bannedUntil,
      bannedBy: saved.bannedBy,
    });
  };

  return async (chatId) => {
    if (!options.ready()) return false;
    const view = await options.state.profiles.view(chatId);
    if (view.profile) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      const restored = await Promise.race([lookUp(chatId), late]);
      if (restored) log.info({ event: 'user_restored' }, 'user state rebuilt from Postgres');
      return restored;
    } catch (err) {
      if (isDatabaseUnavailable(err)) return false;
      log.error({ err, event: 'recall_failed' }, 'could not rebuild a user from Postgres');
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}
