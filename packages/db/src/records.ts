import { sql, type Kysely } from 'kysely';
import type { Profile } from '@hamdam/domain';
import type { Database } from './schema.js';

/** A ban for good is stored as this far date, so "is banned" stays one comparison. */
const BANNED_FOR_GOOD = new Date('9999-12-31T00:00:00Z');

// What the bot's journal flusher writes: each function takes a batch, runs one statement per
// batch where it can, and is idempotent, so a batch flushed twice (a worker died between
// writing and acknowledging) changes nothing the second time.

/**
 * The internal ids of these Telegram users, creating rows for those not seen before (chats
 * are recorded whether or not the users ever sent /start). One statement.
 */
export async function userIds(
  db: Kysely<Database>,
  telegramIds: readonly number[],
): Promise<Map<number, number>> {
  const unique = [...new Set(telegramIds)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .insertInto('users')
    .values(unique.map((telegramId) => ({ telegram_id: telegramId })))
    .onConflict((oc) => oc.column('telegram_id').doUpdateSet({ last_seen_at: sql<Date>`now()` }))
    .returning(['id', 'telegram_id'])
    .execute();
  return new Map(rows.map((r) => [r.telegram_id, r.id]));
}

export interface ReportRecord {
  readonly key: string;
  readonly reporter: number;
  readonly reported: number;
  readonly reason: string;
  readonly at: Date;
}

export async function recordReports(
  db: Kysely<Database>,
  rows: readonly ReportRecord[],
): Promise<{ inserted: number }> {
  if (rows.length === 0) return { inserted: 0 };
  const result = await db
    .insertInto('reports')
    .values(
      rows.map((r) => ({
        key: r.key,
        reporter: r.reporter,
        reported: r.reported,
        reason: r.reason,
        created_at: r.at,
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return { inserted: Number(result.numInsertedOrUpdatedRows ?? 0n) };
}

export async function recordBlocks(
  db: Kysely<Database>,
  rows: readonly { readonly blocker: number; readonly blocked: number; readonly at: Date }[],
): Promise<void> {
  const distinct = rows.filter((r) => r.blocker !== r.blocked);
  if (distinct.length === 0) return;
  await db
    .insertInto('blocks')
    .values(distinct.map((r) => ({ blocker: r.blocker, blocked: r.blocked, created_at: r.at })))
    .onConflict((oc) => oc.columns(['blocker', 'blocked']).doNothing())
    .execute();
}

export interface BanRecord {
  readonly key: string;
  readonly userId: number;
  readonly reason: string;
  readonly at: Date;
  /** Null: for good. */
  readonly until: Date | null;
  readonly by: number | null;
}

/** Records bans and sets each user's current ban. */
export async function recordBans(db: Kysely<Database>, rows: readonly BanRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('bans')
    .values(
      rows.map((r) => ({
        key: r.key,
        user_id: r.userId,
        reason: r.reason,
        banned_at: r.at,
        until: r.until,
        banned_by: r.by,
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  for (const r of rows) {
    await db
      .updateTable('users')
      .set({ banned_until: r.until ?? BANNED_FOR_GOOD, ban_reason: r.reason })
      .where('id', '=', r.userId)
      .execute();
  }
}

/** Lifts each user's current ban. */
export async function recordUnbans(
  db: Kysely<Database>,
  rows: readonly { readonly userId: number; readonly at: Date }[],
): Promise<void> {
  for (const r of rows) {
    await db
      .updateTable('bans')
      .set({ lifted_at: r.at })
      .where('user_id', '=', r.userId)
      .where('lifted_at', 'is', null)
      .execute();
    await db
      .updateTable('users')
      .set({ banned_until: null, ban_reason: null })
      .where('id', '=', r.userId)
      .execute();
  }
}

/**
 * Users a broadcast can reach, in id order after `afterId`: not blocked the bot, not banned
 * now. Backed by the partial index on id of reachable users.
 */
export async function reachableUsers(
  db: Kysely<Database>,
  afterId: number,
  limit: number,
): Promise<{ id: number; telegramId: number }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'telegram_id'])
    .where('blocked_bot_at', 'is', null)
    .where('id', '>', afterId)
    .where((eb) =>
      eb.or([eb('banned_until', 'is', null), eb('banned_until', '<', sql<Date>`now()`)]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, telegramId: r.telegram_id }));
}

/** How many users a broadcast would reach now. */
export async function countReachableUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('blocked_bot_at', 'is', null)
    .where((eb) =>
      eb.or([eb('banned_until', 'is', null), eb('banned_until', '<', sql<Date>`now()`)]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What Postgres keeps of a user that the live state can be rebuilt from. */
export interface SavedUser {
  readonly profile: Profile;
  /** Telegram ids of the users this one must never meet (blocks and reports, either way). */
  readonly apart: readonly number[];
  /** When a ban ends, 'forever', or null when not banned. */
  readonly bannedUntil: Date | 'forever' | null;
  /** Who banned them (the ban's reason: an admin or reports), null when not banned or unknown. */
  readonly bannedBy: 'admin' | 'reports' | null;
}

/**
 * The saved profile of an onboarded user, by Telegram id, or null: what rebuilds a user's
 * state after Redis was lost. Backed by the unique index on telegram_id, the two block indexes
 * and the two report indexes.
 */
export async function savedUser(
  db: Kysely<Database>,
  telegramId: number,
): Promise<SavedUser | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('telegram_id', '=', telegramId)
    .executeTakeFirst();
  if (
    !row ||
    row.onboarded_at === null ||
    row.language === null ||
    row.gender === null ||
    row.age === null
  ) {
    return null;
  }
  // Blocks and reports either way: a report keeps the two apart in Redis as a block does.
  const apart = await db
    .selectFrom('users')
    .select('telegram_id')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('blocks')
        .select('blocked as other')
        .where('blocker', '=', row.id)
        .union(eb.selectFrom('blocks').select('blocker as other').where('blocked', '=', row.id))
        .union(eb.selectFrom('reports').select('reported as other').where('reporter', '=', row.id))
        .union(eb.selectFrom('reports').select('reporter as other').where('reported', '=', row.id)),
    )
    .execute();
  return {
    profile: {
      lang: row.language,
      gender: row.gender,
      age: row.age,
      wants: row.wants,
      ageMin: row.age_min ?? 18,
      ageMax: row.age_max ?? 99,
      sameLanguage: row.same_language,
      protect: row.protect_content,
    },
    apart: apart.map((a) => a.telegram_id),
    bannedUntil:
      row.banned_until === null || row.banned_until.getTime() <= Date.now()
        ? null
        : row.banned_until.getTime() >= BANNED_FOR_GOOD.getTime()
          ? 'forever'
          : row.banned_until,
    bannedBy:
      row.banned_until !== null && (row.ban_reason === 'admin' || row.ban_reason === 'reports')
        ? row.ban_reason
        : null,
  };
}
