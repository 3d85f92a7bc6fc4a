import type { Generated } from 'kysely';
import type { Gender, Language, Wants } from '@hamdam/domain';

// The shape kysely checks queries against. Column names are the database's (snake_case);
// the repository functions translate to camelCase at the edge so callers never see rows.
// bigint columns are typed `number`: both backends parse int8 into a JS number (see
// int8.ts), which holds every Telegram id and every id we will ever generate.

export interface UsersTable {
  /** Internal id: the only user id that may appear in logs. */
  id: Generated<number>;
  telegram_id: number;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  language_code: string | null;
  gender: Gender | null;
  wants: Generated<Wants>;
  age: number | null;
  banned_until: Date | null;
  ban_reason: string | null;
  language: Language | null;
  age_min: number | null;
  age_max: number | null;
  same_language: Generated<boolean>;
  protect_content: Generated<boolean>;
  onboarded_at: Date | null;
  blocked_bot_at: Date | null;
}

export interface ChatsTable {
  id: Generated<number>;
  /** Caller-chosen idempotency key, so a batch flushed twice is stored once. */
  key: string;
  user_a: number;
  user_b: number;
  started_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  messages_a: Generated<number>;
  messages_b: Generated<number>;
}

export interface ReportsTable {
  id: Generated<number>;
  chat_id: number | null;
  reporter: number;
  reported: number;
  reason: string;
  created_at: Generated<Date>;
  /** The journal entry it came from, so a report flushed twice is stored once. */
  key: string | null;
}

export interface BlocksTable {
  blocker: number;
  blocked: number;
  created_at: Generated<Date>;
}

export interface BansTable {
  id: Generated<number>;
  /** The journal entry it came from, so a ban flushed twice is stored once. */
  key: string;
  user_id: number;
  reason: string;
  banned_at: Date;
  /** Null: for good. */
  until: Date | null;
  /** The admin's Telegram id; null when the bot banned after reports. */
  banned_by: number | null;
  lifted_at: Date | null;
}

export interface Database {
  users: UsersTable;
  chats: ChatsTable;
  reports: ReportsTable;
  blocks: BlocksTable;
  bans: BansTable;
}
