import type { Logger } from 'pino';
import {
  eraseUsers,
  markBotBlocked,
  markBotStarted,
  recordBans,
  recordBlocks,
  recordChats,
  recordReports,
  recordUnbans,
  saveProfiles,
  userIds,
  type ChatRecord,
  type DatabaseHandle,
  type ProfileRecord,
  type ReportRecord,
} from '@hamdam/db';
import { isGender, isLanguage, isWants } from '@hamdam/domain';
import type { Journal, JournalEntry } from '@hamdam/store';

export interface JournalFlusherOptions {
  readonly journal: Journal;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** This worker's name in the journal's consumer group. */
  readonly reader: string;
  readonly intervalMs?: number;
  readonly batch?: number;
  /** False while Postgres has no schema yet: the journal waits in Redis. */
  readonly ready?: () => boolean;
}

/**
 * Moves the journal to Postgres in batches, off the per-message path: finished chats, profiles,
 * reports, blocks, bans, users who blocked the bot and who started it again, users who erased
 * their record. Users are named by Telegram id in the
 * journal; their rows are found or created here, so a chat is recorded whether or not its
 * users ever sent /start. Each worker reads as one member of a consumer group, so a record is
 * written by one worker; a batch is acknowledged only after Postgres stored it, and every
 * write is idempotent, so a batch written twice is stored once. While Postgres is away the
 * journal waits in Redis.
 */
export class JournalFlusher {
  readonly #o: Required<JournalFlusherOptions>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: JournalFlusherOptions) {
    this.#o = { intervalMs: 1_000, batch: 500, ready: () => true, ...options };
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

  /**
   * Flushes until the journal has nothing left for us; resolves to the number of records. Runs
   * after any flush already under way (the timer's), so what was journaled before the call is
   * in Postgres when it resolves, not merely taken by the other run.
   */
  flush(): Promise<number> {
    const run = this.#queue.then(() => this.#flushNow());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #flushNow(): Promise<number> {
    const { journal, batch, reader, ready } = this.#o;
    let stored = 0;
    if (!ready()) return 0;
    for (let round = 0; round < 100; round++) {
      const entries = await journal.read(reader, batch);
      if (entries.length === 0) break;
      await this.#store(entries);
      await journal.ack(entries.map((e) => e.id));
      stored += entries.length;
      if (entries.length < batch) break;
    }
    return stored;
  }

  /**
   * One statement per kind of record a batch holds, not one per record. Records of different
   * users or chats do not depend on each other's order, and a user's own are ordered by their
   * times (a start clears only a block from before it), except bans, unbans and erasures: what
   * came before one of those is written first, then it, in the journal's order.
   */
  async #store(entries: readonly JournalEntry[]): Promise<void> {
    const { db } = this.#o.database;
    const ids = await userIds(db, entries.flatMap(telegramIdsOf));
    const uid = (telegramId: number) => ids.get(telegramId)!;
    const at = (e: { at: number }) => new Date(e.at);
    const key = (e: { at: number; id: string }) => `${e.at}:${e.id}`;
    const profiles = new Map<number, ProfileRecord>();
    let pending = emptyGroup();
    const writePending = async () => {
      const g = pending;
      pending = emptyGroup();
      await recordChats(db, g.chats);
      await recordReports(db, g.reports);
      await recordBlocks(db, g.blocks);
      await markBotBlocked(db, g.botBlocked);
      await markBotStarted(db, g.started);
    };
    for (const e of entries) {
      switch (e.kind) {
        case 'chat-ended':
          pending.chats.push({
            // The chat number restarts if Redis is lost; its start time keeps the key unique.
            key: `${e.startedAt}:${e.key}`,
            userA: uid(e.a),
            userB: uid(e.b),
            startedAt: new Date(e.startedAt),
            endedAt: at(e),
            endReason: e.reason,
            messagesA: e.messagesA,
            messagesB: e.messagesB,
          });
          break;
        case 'profile':
          // The latest of a batch wins.
          profiles.set(e.chat, {
            userId: uid(e.chat),
            language: isLanguage(e.lang) ? e.lang : null,
            gender: isGender(e.gender) ? e.gender : null,
            age: e.age,
            wants: isWants(e.wants) ? e.wants : null,
            ageMin: e.ageMin,
            ageMax: e.ageMax,
            sameLanguage: e.sameLanguage,
            protectContent: e.protect,
            at: at(e),
          });
          break;
        case 'report':
          pending.reports.push({
            key: key(e),
            reporter: uid(e.reporter),
            reported: uid(e.reported),
            reason: e.reason,
            at: at(e),
          });
          break;
        case 'block':
          pending.blocks.push({ blocker: uid(e.blocker), blocked: uid(e.blocked), at: at(e) });
          break;
        case 'bot-blocked':
          pending.botBlocked.push({ userId: uid(e.chat), at: at(e) });
          break;
        case 'started':
          pending.started.push({ telegramId: e.chat, at: at(e) });
          break;
        case 'ban':
          await writePending();
          await recordBans(db, [
            {
              key: key(e),
              userId: uid(e.chat),
              reason: e.reason,
              at: at(e),
              until: e.until === null ? null : new Date(e.until),
              by: e.by,
            },
          ]);
          break;
        case 'unban':
          await writePending();
          await recordUnbans(db, [{ userId: uid(e.chat), at: at(e) }]);
          break;
        case 'erase':
          await writePending();
          // A profile saved earlier in this batch must not come back after the erasure.
          profiles.delete(e.chat);
          await eraseUsers(db, [uid(e.chat)]);
          break;
        case 'unknown':
          this.#o.logger.warn({ entry: e.id }, 'journal entry of an unknown kind, skipped');
          break;
      }
    }
    await writePending();
    await saveProfiles(db, [...profiles.values()]);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.flush()
        .then(() => undefined)
        .catch((err: unknown) => this.#o.logger.warn({ err }, 'journal not flushed yet'))
        .finally(() => this.#schedule());
    }, this.#o.intervalMs);
    this.#timer.unref();
  }
}

/** Records of a batch that are written together, one statement per kind. */
function emptyGroup() {
  return {
    chats: [] as ChatRecord[],
    reports: [] as ReportRecord[],
    blocks: [] as { blocker: number; blocked: number; at: Date }[],
    botBlocked: [] as { userId: number; at: Date }[],
    started: [] as { telegramId: number; at: Date }[],
  };
}

function telegramIdsOf(e: JournalEntry): number[] {
  switch (e.kind) {
    case 'chat-ended':
      return [e.a, e.b];
    case 'report':
      return [e.reporter, e.reported];
    case 'block':
      return [e.blocker, e.blocked];
    case 'profile':
    case 'ban':
    case 'unban':
    case 'bot-blocked':
    case 'erase':
      return [e.chat];
    // A start needs no row: only a user Postgres knows can have blocked the bot.
    case 'started':
    case 'unknown':
      return [];
  }
}
