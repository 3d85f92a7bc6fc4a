import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { DatabaseHandle } from './database-handle.js';
import { MigrationError } from './errors.js';
import { applyMigrations, migrateToLatest } from './migrate-to-latest.js';
import { migrations } from './migrations.js';
import type { Gender, Wants } from '@hamdam/domain';
import { recordChats, type ChatRecord } from './chats.js';
import { getUserById, updateProfile, upsertUser } from './users.js';

// One contract, two backends: the Postgres and PGlite test files each call this with a
// function that opens a fresh, empty database, and every test below must pass on both.

const TEST_TIMEOUT = { timeout: 30_000 };

/** Resolves to the SQLSTATE of the rejection, failing the test if there was none. */
async function sqlState(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    assert.equal(typeof code, 'string', `expected a database error, got ${String(error)}`);
    return code as string;
  }
  assert.fail('expected the statement to be rejected');
}

export function defineRepositorySuite(backend: string, open: () => Promise<DatabaseHandle>): void {
  describe(`repository contract on ${backend}`, TEST_TIMEOUT, () => {
    let handle: DatabaseHandle;
    let nextTelegramId = 1_000_000_001;
    const newTelegramId = (): number => nextTelegramId++;

    before(async () => {
      handle = await open();
    });
    after(async () => {
      await handle.close();
    });

    test('a failing migration is rolled back and named', async () => {
      const { db } = handle;
      const error = await applyMigrations(db, {
        '0000_broken': {
          async up(migrationDb) {
            await migrationDb.schema.createTable('half_done').addColumn('a', 'text').execute();
            await sql`select 1 / 0`.execute(migrationDb);
          },
        },
      }).then(
        () => assert.fail('expected MigrationError'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof MigrationError, String(error));
      assert.equal(error.name, 'MigrationError');
      assert.deepEqual(error.failed, ['0000_broken']);
      assert.match(error.message, /0000_broken/);
      assert.equal((error.cause as { code?: unknown }).code, '22012');
      const { rows } = await sql<{
        found: string | null;
      }>`select to_regclass('half_done')::text as found`.execute(db);
      assert.equal(rows[0]?.found, null, 'the broken migration left a table behind');
    });

    test('concurrent first runs apply the schema exactly once', async () => {
      const { db } = handle;
      const results = await Promise.all([migrateToLatest(db), migrateToLatest(db)]);
      const applied = results.map((r) => r.applied).sort((a, b) => b.length - a.length);
      assert.deepEqual(applied, [Object.keys(migrations), []]);
      const { rows } = await sql<{
        n: number;
      }>`select count(*) as n from kysely_migration`.execute(db);
      assert.equal(rows[0]?.n, Object.keys(migrations).length);
    });

    test('a second run applies nothing', async () => {
      assert.deepEqual(await migrateToLatest(handle.db), { applied: [] });
    });

    test('migrating hands the session back with its default statement_timeout', async () => {
      const { db } = handle;
      await db.connection().execute(async (session) => {
        await migrateToLatest(session);
        // reset_val is the value the session started with (the pool's statement_timeout).
        const { rows } = await sql<{ setting: string; reset_val: string }>`
          select setting, reset_val from pg_settings where name = 'statement_timeout'`.execute(
          session,
        );
        assert.ok(rows[0]);
        assert.equal(rows[0].setting, rows[0].reset_val);
      });
    });

    test('upsertUser creates once, then finds the same user', async () => {
      const { db } = handle;
      const telegramId = newTelegramId();
      const first = await upsertUser(db, { telegramId, languageCode: 'fa' });
      assert.equal(first.created, true);
      assert.equal(typeof first.id, 'number');
      assert.deepEqual(
        {
          gender: first.gender,
          wants: first.wants,
          age: first.age,
          bannedUntil: first.bannedUntil,
        },
        { gender: null, wants: 'any', age: null, bannedUntil: null },
      );
      const second = await upsertUser(db, { telegramId });
      assert.equal(second.created, false);
      assert.equal(second.id, first.id);

      const user = await getUserById(db, first.id);
      assert.ok(user);
      assert.equal(user.telegramId, telegramId);
      assert.equal(
        user.languageCode,
        'fa',
        'an absent language code must not erase the stored one',
      );
      assert.ok(user.createdAt instanceof Date);
      assert.ok(user.lastSeenAt.getTime() >= user.createdAt.getTime());

      await upsertUser(db, { telegramId, languageCode: 'en' });
      assert.equal((await getUserById(db, first.id))?.languageCode, 'en');
    });

    test('concurrent upserts of one new user create it once', async () => {
      const { db } = handle;
      const telegramId = newTelegramId();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => upsertUser(db, { telegramId })),
      );
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
    });

    test('ids and counts come back as numbers, precisely', async () => {
      const { db } = handle;
      // Above 2^32 and 2^52: a wrong parser (int4, float, string, BigInt) shows up here.
      const telegramId = 2 ** 52 + 7;
      const { id } = await upsertUser(db, { telegramId });
      const user = await getUserById(db, id);
      assert.equal(typeof user?.id, 'number');
      assert.equal(user?.telegramId, telegramId);
      const { rows } = await sql<{ n: unknown }>`select count(*) as n from users`.execute(db);
      assert.equal(typeof rows[0]?.n, 'number');
    });

    test('an int8 beyond 2^53 fails loudly instead of rounding', async () => {
      const { db } = handle;
      await assert.rejects(
        sql`select 9007199254740993::int8 as too_big`.execute(db),
        (error: unknown) => error instanceof RangeError && /9007199254740993/.test(error.message),
      );
      // The connection is still usable afterwards.
      const { rows } = await sql<{ one: number }>`select 1::int8 as one`.execute(db);
      assert.equal(rows[0]?.one, 1);
    });

    test('updateProfile changes only the given fields', async () => {
      const { db } = handle;
      const { id } = await upsertUser(db, { telegramId: newTelegramId() });
      assert.equal(await updateProfile(db, id, { gender: 'f', age: 30 }), true);
      assert.equal(await updateProfile(db, id, { wants: 'm' }), true);
      let user = await getUserById(db, id);
      assert.deepEqual([user?.gender, user?.wants, user?.age], ['f', 'm', 30]);
      assert.equal(await updateProfile(db, id, { age: null }), true);
      user = await getUserById(db, id);
      assert.deepEqual([user?.gender, user?.wants, user?.age], ['f', 'm', null]);
      assert.equal(await updateProfile(db, id, {}), true);
    });

    test('updateProfile and getUserById report an unknown id', async () => {
      const { db } = handle;
      assert.equal(await updateProfile(db, 987_654_321, { age: 20 }), false);
      assert.equal(await updateProfile(db, 987_654_321, {}), false);
      assert.equal(await getUserById(db, 987_654_321), undefined);
      await assert.rejects(getUserById(db, 1.5), TypeError);
      await assert.rejects(upsertUser(db, { telegramId: Number.NaN }), TypeError);
    });

    test('constraint violations are rejected and change nothing', async () => {
      const { db } = handle;
      const { id } = await upsertUser(db, { telegramId: newTelegramId() });
      await updateProfile(db, id, { gender: 'm', wants: 'f', age: 25 });
      const before = await getUserById(db, id);

      // Bad values in the same statement as good ones: the good ones must not land either.
      assert.equal(
        await sqlState(updateProfile(db, id, { gender: 'x' as Gender, age: 40 })),
        '23514',
      );
      assert.equal(await sqlState(updateProfile(db, id, { wants: 'both' as Wants })), '23514');
      assert.equal(await sqlState(updateProfile(db, id, { age: 12 })), '23514');
      assert.equal(await sqlState(updateProfile(db, id, { age: 121 })), '23514');
      assert.deepEqual(await getUserById(db, id), before);

      assert.equal(
        await sqlState(
          db
            .insertInto('users')
            .values({ telegram_id: newTelegramId(), gender: 'x' as Gender })
            .execute(),
        ),
        '23514',
      );
    });

    test('recordChats stores a batch once, however often it is flushed', async () => {
      const { db } = handle;
      const a = (await upsertUser(db, { telegramId: newTelegramId() })).id;
      const b = (await upsertUser(db, { telegramId: newTelegramId() })).id;
      const startedAt = new Date('2026-01-01T10:00:00.000Z');
      const endedAt = new Date('2026-01-01T10:05:00.000Z');
      const chat = (key: string, messagesA: number): ChatRecord => ({
        key,
        userA: a,
        userB: b,
        startedAt,
        endedAt,
        endReason: 'next',
        messagesA,
        messagesB: 2,
      });
      const batch = [chat(`${backend}-1`, 1), chat(`${backend}-2`, 5), chat(`${backend}-1`, 9)];

      assert.deepEqual(await recordChats(db, batch), { inserted: 2 });
      assert.deepEqual(await recordChats(db, batch), { inserted: 0 });
      assert.deepEqual(await recordChats(db, []), { inserted: 0 });

      const rows = await db
        .selectFrom('chats')
        .selectAll()
        .where('key', 'like', `${backend}-%`)
        .orderBy('key')
        .execute();
      assert.equal(rows.length, 2);
      const [first] = rows;
      assert.equal(typeof first?.id, 'number');
      assert.equal(first?.user_a, a);
      assert.equal(first?.messages_a, 1, 'the first row of a key wins');
      assert.equal(first?.started_at.toISOString(), startedAt.toISOString());
      assert.equal(first?.ended_at?.toISOString(), endedAt.toISOString());
    });

    test('recordChats rejects a chat with an unknown user and stores none of its statement', async () => {
      const { db } = handle;
      const a = (await upsertUser(db, { telegramId: newTelegramId() })).id;
      const b = (await upsertUser(db, { telegramId: newTelegramId() })).id;
      const base = {
        startedAt: new Date(),
        endedAt: null,
        endReason: null,
        messagesA: 0,
        messagesB: 0,
      };
      const batch: ChatRecord[] = [
        { ...base, key: `${backend}-fk-ok`, userA: a, userB: b },
        { ...base, key: `${backend}-fk-bad`, userA: a, userB: 987_654_321 },
      ];
      assert.equal(await sqlState(recordChats(db, batch)), '23503');
      const self: ChatRecord = { ...base, key: `${backend}-self`, userA: a, userB: a };
      assert.equal(await sqlState(recordChats(db, [self])), '23514');
      const stored = await db
        .selectFrom('chats')
        .select('key')
        .where('key', 'like', `${backend}-fk-%`)
        .execute();
      assert.deepEqual(stored, []);
    });

    test('transactions are atomic and exclusive', async () => {
      const { db } = handle;
      const a = (await upsertUser(db, { telegramId: newTelegramId() })).id;
      const b = (await upsertUser(db, { telegramId: newTelegramId() })).id;
      const key = `${backend}-counter`;
      await recordChats(db, [
        {
          key,
          userA: a,
          userB: b,
          startedAt: new Date(),
          endedAt: null,
          endReason: null,
          messagesA: 0,
          messagesB: 0,
        },
      ]);

      // Read-modify-write from many transactions at once: any interleaving loses updates.
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction().execute(async (trx) => {
            const row = await trx
              .selectFrom('chats')
              .select('messages_a')
              .where('key', '=', key)
              .forUpdate()
              .executeTakeFirstOrThrow();
            await trx
              .updateTable('chats')
              .set({ messages_a: row.messages_a + 1 })
              .where('key', '=', key)
              .execute();
          }),
        ),
      );
      const counted = await db
        .selectFrom('chats')
        .select('messages_a')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      assert.equal(counted.messages_a, 20);

      // A failed transaction leaves nothing behind.
      const telegramId = newTelegramId();
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await upsertUser(trx, { telegramId });
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      const ghost = await db
        .selectFrom('users')
        .select('id')
        .where('telegram_id', '=', telegramId)
        .executeTakeFirst();
      assert.equal(ghost, undefined);
    });
  });
}
