import { sql, type Kysely, type Migration } from 'kysely';

// Migrations live in code (not files found at run time) so the compiled package carries
// exactly the schema it was built against. Each one is frozen once released: values are
// written out literally here rather than taken from schema.ts, because a later change to
// those constants must arrive as a new migration, not rewrite history.
// They take Kysely<unknown>: at migration time the schema is whatever came before, not the
// current `Database` type.

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'bigserial', (col) => col.primaryKey())
      .addColumn('telegram_id', 'bigint', (col) => col.notNull().unique())
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addColumn('language_code', 'text')
      .addColumn('gender', 'text')
      .addColumn('wants', 'text', (col) => col.notNull().defaultTo('any'))
      .addColumn('age', 'smallint')
      .addColumn('banned_until', 'timestamptz')
      .addColumn('ban_reason', 'text')
      .addCheckConstraint('users_gender_check', sql`gender in ('m', 'f')`)
      .addCheckConstraint('users_wants_check', sql`wants in ('m', 'f', 'any')`)
      .addCheckConstraint('users_age_check', sql`age between 13 and 120`)
      .execute();

    await db.schema
      .createTable('chats')
      .addColumn('id', 'bigserial', (col) => col.primaryKey())
      .addColumn('key', 'text', (col) => col.notNull().unique())
      .addColumn('user_a', 'bigint', (col) => col.notNull().references('users.id'))
      .addColumn('user_b', 'bigint', (col) => col.notNull().references('users.id'))
      .addColumn('started_at', 'timestamptz', (col) => col.notNull())
      .addColumn('ended_at', 'timestamptz')
      .addColumn('end_reason', 'text')
      .addColumn('messages_a', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('messages_b', 'integer', (col) => col.notNull().defaultTo(0))
      .addCheckConstraint('chats_two_people_check', sql`user_a <> user_b`)
      .addCheckConstraint('chats_messages_check', sql`messages_a >= 0 and messages_b >= 0`)
      .execute();
    await db.schema.createIndex('chats_user_a_idx').on('chats').column('user_a').execute();
    await db.schema.createIndex('chats_user_b_idx').on('chats').column('user_b').execute();
    await db.schema.createIndex('chats_started_at_idx').on('chats').column('started_at').execute();

    await db.schema
      .createTable('reports')
      .addColumn('id', 'bigserial', (col) => col.primaryKey())
      .addColumn('chat_id', 'bigint', (col) => col.references('chats.id'))
      .addColumn('reporter', 'bigint', (col) => col.notNull().references('users.id'))
      .addColumn('reported', 'bigint', (col) => col.notNull().references('users.id'))
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('reports_reported_created_at_idx')
      .on('reports')
      .columns(['reported', 'created_at'])
      .execute();

    await db.schema
      .createTable('blocks')
      .addColumn('blocker', 'bigint', (col) => col.notNull().references('users.id'))
      .addColumn('blocked', 'bigint', (col) => col.notNull().references('users.id'))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('blocks_pkey', ['blocker', 'blocked'])
      .addCheckConstraint('blocks_not_self_check', sql`blocker <> blocked`)
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['blocks', 'reports', 'chats', 'users']) {
      await db.schema.dropTable(table).execute();
    }
  },
};

// The whole chat: the profile the bot asks for, who blocked the bot, and records of reports
// and bans that a flush may deliver twice (each carries the key of its journal entry).
const wholeChat: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('users')
      .addColumn('language', 'text', (col) => col.check(sql`language in ('fa', 'en')`))
      .addColumn('age_min', 'smallint')
      .addColumn('age_max', 'smallint')
      .addColumn('same_language', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('protect_content', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('onboarded_at', 'timestamptz')
      .addColumn('blocked_bot_at', 'timestamptz')
      .execute();
    // A broadcast pages through the users who have not blocked the bot, by id.
    await db.schema
      .createIndex('users_reachable_idx')
      .on('users')
      .column('id')
      .where(sql.ref('blocked_bot_at'), 'is', null)
      .execute();

    await db.schema.alterTable('reports').addColumn('key', 'text').execute();
    await db.schema.createIndex('reports_key_idx').on('reports').column('key').unique().execute();
    await db.schema.createIndex('blocks_blocked_idx').on('blocks').column('blocked').execute();

    await db.schema
      .createTable('bans')
      .addColumn('id', 'bigserial', (col) => col.primaryKey())
      .addColumn('key', 'text', (col) => col.notNull().unique())
      .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id'))
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('banned_at', 'timestamptz', (col) => col.notNull())
      .addColumn('until', 'timestamptz')
      .addColumn('banned_by', 'bigint')
      .addColumn('lifted_at', 'timestamptz')
      .execute();
    await db.schema.createIndex('bans_user_id_idx').on('bans').column('user_id').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('bans').execute();
    await db.schema.dropIndex('blocks_blocked_idx').execute();
    await db.schema.dropIndex('reports_key_idx').execute();
    await db.schema.alterTable('reports').dropColumn('key').execute();
    await db.schema.dropIndex('users_reachable_idx').execute();
    for (const column of [
      'language',
      'age_min',
      'age_max',
      'same_language',
      'protect_content',
      'onboarded_at',
      'blocked_bot_at',
    ]) {
      await db.schema.alterTable('users').dropColumn(column).execute();
    }
  },
};

// Retention: reports are deleted oldest first, by the time they were made.
const retention: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('reports_created_at_idx')
      .on('reports')
      .column('created_at')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('reports_created_at_idx').execute();
  },
};

// A lost user is rebuilt with everyone they reported (savedUser), so reports are read by
// reporter too.
const reportsByReporter: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('reports_reporter_idx').on('reports').column('reporter').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('reports_reporter_idx').execute();
  },
};

/** Every migration, by name; names sort in the order they must run. */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initial,
  '0002_whole_chat': wholeChat,
  '0003_retention': retention,
  '0004_reports_by_reporter': reportsByReporter,
});
