import { sql, type Kysely, type Selectable } from 'kysely';
import type { Gender, Wants } from '@hamdam/domain';
import type { Database, UsersTable } from './schema.js';

export interface User {
  /** Internal id: the only user id that may appear in logs. */
  readonly id: number;
  readonly telegramId: number;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly languageCode: string | null;
  readonly gender: Gender | null;
  readonly wants: Wants;
  readonly age: number | null;
  readonly bannedUntil: Date | null;
  readonly banReason: string | null;
}

export interface UpsertUserInput {
  readonly telegramId: number;
  /** Telegram's language_code; absent or null keeps the stored one. */
  readonly languageCode?: string | null;
}

/** What the bot needs right after seeing someone: are they new, what are their filters. */
export interface UpsertedUser {
  readonly id: number;
  readonly created: boolean;
  readonly gender: Gender | null;
  readonly wants: Wants;
  readonly age: number | null;
  readonly bannedUntil: Date | null;
}

export interface ProfilePatch {
  readonly gender?: Gender | null;
  readonly wants?: Wants;
  readonly age?: number | null;
}

/**
 * Creates the user or touches last_seen_at, in one statement and one round trip, so two
 * workers seeing the same new user at once cannot both insert it.
 */
export async function upsertUser(
  db: Kysely<Database>,
  input: UpsertUserInput,
): Promise<UpsertedUser> {
  assertId(input.telegramId, 'telegramId');
  const row = await db
    .insertInto('users')
    .values({ telegram_id: input.telegramId, language_code: input.languageCode ?? null })
    .onConflict((oc) =>
      oc.column('telegram_id').doUpdateSet((eb) => ({
        last_seen_at: sql<Date>`now()`,
        language_code: eb.fn.coalesce('excluded.language_code', 'users.language_code'),
      })),
    )
    // xmax is 0 on a row version this statement inserted and non-zero on one it updated.
    // An implementation detail rather than an API, but long stable and the only way to
    // tell the two apart within a single statement.
    .returning([
      'id',
      'gender',
      'wants',
      'age',
      'banned_until',
      sql<boolean>`xmax = 0`.as('created'),
    ])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    created: row.created,
    gender: row.gender,
    wants: row.wants,
    age: row.age,
    bannedUntil: row.banned_until,
  };
}

/** Changes the given fields only. Resolves false when no user has this id. */
export async function updateProfile(
  db: Kysely<Database>,
  id: number,
  patch: ProfilePatch,
): Promise<boolean> {
  assertId(id, 'id');
  const changes: { gender?: Gender | null; wants?: Wants; age?: number | null } = {};
  if (patch.gender !== undefined) changes.gender = patch.gender;
  if (patch.wants !== undefined) changes.wants = patch.wants;
  if (patch.age !== undefined) changes.age = patch.age;
  if (Object.keys(changes).length === 0) return (await getUserById(db, id)) !== undefined;
  const result = await db.updateTable('users').set(changes).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function getUserById(db: Kysely<Database>, id: number): Promise<User | undefined> {
  assertId(id, 'id');
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    telegramId: row.telegram_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    languageCode: row.language_code,
    gender: row.gender,
    wants: row.wants,
    age: row.age,
    bannedUntil: row.banned_until,
    banReason: row.ban_reason,
  };
}

function assertId(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${name} must be a safe integer`);
}
