import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Gender, Language, Wants } from '@hamdam/domain';
import { chunks } from './chunks.js';
import type { Database } from './schema.js';

// What the journal flusher changes on users' rows, a batch at a time: each function runs one
// UPDATE ... FROM (VALUES ...) per chunk of rows, not one statement per row, so a crowd
// onboarding at once costs Postgres (and the worker) a statement a flush. A user named twice
// in a batch counts once, as the batch's last word about them.

export interface ProfileRecord {
  readonly userId: number;
  readonly language: Language | null;
  readonly gender: Gender | null;
  readonly age: number | null;
  readonly wants: Wants | null;
  readonly ageMin: number | null;
  readonly ageMax: number | null;
  readonly sameLanguage: boolean;
  readonly protectContent: boolean;
  readonly at: Date;
}

/** The latest profile of each user (by primary key); the first save marks onboarding done. */
export async function saveProfiles(
  db: Kysely<Database>,
  rows: readonly ProfileRecord[],
): Promise<void> {
  await updateFrom(
    db,
    lastOf(rows, (r) => r.userId),
    (r) =>
      sql`(${r.userId}::bigint, ${r.language}::text, ${r.gender}::text, ${r.age}::int,
        ${r.wants ?? 'any'}::text, ${r.ageMin}::int, ${r.ageMax}::int,
        ${r.sameLanguage}::boolean, ${r.protectContent}::boolean, ${r.at}::timestamptz)`,
    sql`update users set language = s.language, gender = s.gender, age = s.age,
      wants = s.wants, age_min = s.age_min, age_max = s.age_max,
      same_language = s.same_language, protect_content = s.protect_content,
      onboarded_at = coalesce(users.onboarded_at, s.at)`,
    sql`as s(id, language, gender, age, wants, age_min, age_max, same_language,
      protect_content, at) where users.id = s.id`,
  );
}

/** Users who blocked the bot, each at the time the batch last says. */
export async function markBotBlocked(
  db: Kysely<Database>,
  rows: readonly { readonly userId: number; readonly at: Date }[],
): Promise<void> {
  await updateFrom(
    db,
    lastOf(rows, (r) => r.userId),
    (r) => sql`(${r.userId}::bigint, ${r.at}::timestamptz)`,
    sql`update users set blocked_bot_at = s.at`,
    sql`as s(id, at) where users.id = s.id`,
  );
}

/**
 * Users who started the bot again: a block of the bot from before then no longer holds, so
 * broadcasts reach them again. By Telegram id, creating no row: a user Postgres does not know
 * has no block to clear. A block recorded after the start (records flushed out of order) stays.
 */
export async function markBotStarted(
  db: Kysely<Database>,
  rows: readonly { readonly telegramId: number; readonly at: Date }[],
): Promise<void> {
  await updateFrom(
    db,
    // Clearing blocks from before each start comes to clearing those before the latest one.
    lastOf(
      rows,
      (r) => r.telegramId,
      (r, kept) => r.at > kept.at,
    ),
    (r) => sql`(${r.telegramId}::bigint, ${r.at}::timestamptz)`,
    sql`update users set blocked_bot_at = null`,
    sql`as s(telegram_id, at)
      where users.telegram_id = s.telegram_id and users.blocked_bot_at <= s.at`,
  );
}

/** `head` from (values <row>, ...) `tail`, a chunk of rows at a time. */
async function updateFrom<T>(
  db: Kysely<Database>,
  rows: readonly T[],
  row: (r: T) => RawBuilder<unknown>,
  head: RawBuilder<unknown>,
  tail: RawBuilder<unknown>,
): Promise<void> {
  for (const chunk of chunks(rows)) {
    await sql`${head} from (values ${sql.join(chunk.map(row))}) ${tail}`.execute(db);
  }
}

/**
 * One row per key: the last in the batch's (journal) order, or the one `wins` prefers over the
 * row kept so far.
 */
function lastOf<T>(
  rows: readonly T[],
  key: (r: T) => number,
  wins: (r: T, kept: T) => boolean = () => true,
): T[] {
  const kept = new Map<number, T>();
  for (const r of rows) {
    const seen = kept.get(key(r));
    if (seen === undefined || wins(r, seen)) kept.set(key(r), r);
  }
  return [...kept.values()];
}
