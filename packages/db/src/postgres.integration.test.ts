import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { createPostgresDatabase, type PostgresDatabaseOptions } from './postgres-database.js';
import type { DatabaseHandle } from './database-handle.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { migrations } from './migrations.js';
import { defineRecordsSuite } from './records.contract.js';
import { defineRepositorySuite } from './repository.contract.js';

// Runs against a real Postgres. Every database used here is created with a random name for
// this run and dropped at the end, so runs never see each other's data.

const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUT = { timeout: 60_000 };
// kysely's PostgresAdapter takes this advisory lock around migrations.
const KYSELY_MIGRATION_LOCK_ID = '3853314791062309107';

const admin = new pg.Pool({ connectionString: ADMIN_URL, max: 2 });
const created: string[] = [];

async function freshDatabaseUrl(): Promise<string> {
  const name = `hamdam_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  created.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

after(async () => {
  for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

/** A promise plus its resolver, to hold a connection open until a test says so. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

defineRepositorySuite('postgres', async () =>
  createPostgresDatabase({ url: await freshDatabaseUrl(), poolMax: 4 }),
);
defineRecordsSuite('postgres', async () =>
  createPostgresDatabase({ url: await freshDatabaseUrl(), poolMax: 4 }),
);

describe('postgres specifics', TIMEOUT, () => {
  let url: string;
  const handles: DatabaseHandle[] = [];
  const open = (options: Partial<PostgresDatabaseOptions> = {}): DatabaseHandle => {
    const handle = createPostgresDatabase({ url, poolMax: 2, ...options });
    handles.push(handle);
    return handle;
  };

  before(async () => {
    url = await freshDatabaseUrl();
  });
  after(async () => {
    await Promise.all(handles.map((h) => h.close()));
  });

  test('several processes migrating a fresh database at once apply it once', async () => {
    // Separate pools stand in for separate processes: separate sessions, shared database.
    const pools = Array.from({ length: 4 }, () => open({ poolMax: 1 }));
    const results = await Promise.all(pools.map((h) => migrateToLatest(h.db)));
    const applied = results.map((r) => r.applied);
    assert.equal(applied.filter((a) => a.length > 0).length, 1, JSON.stringify(applied));
    assert.deepEqual(applied.flat(), Object.keys(migrations));
    const { rows } = await admin.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = $1 and state = 'idle in transaction'`,
      [new URL(url).pathname.slice(1)],
    );
    assert.equal(rows[0]?.n, '0', 'a migration left a transaction open');
  });

  test('migrateToLatest waits for the migration lock', async () => {
    const { db } = open();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(${KYSELY_MIGRATION_LOCK_ID})`);
      let settled = false;
      const migrating = migrateToLatest(db).finally(() => {
        settled = true;
      });
      await waitFor(async () => {
        const { rows } = await holder.query<{ n: string }>(
          `select count(*) as n from pg_locks where locktype = 'advisory' and not granted`,
        );
        return rows[0]?.n === '1';
      }, 'migrateToLatest to queue on the advisory lock');
      assert.equal(settled, false, 'migrateToLatest ran without the lock');
      await holder.query(`select pg_advisory_unlock(${KYSELY_MIGRATION_LOCK_ID})`);
      assert.deepEqual(await migrating, { applied: [] });
    } finally {
      await holder.end();
    }
  });

  test('poolStats follows checked-out and waiting clients', async () => {
    const handle = open({ poolMax: 2 });
    assert.deepEqual(handle.poolStats(), { total: 0, idle: 0, waiting: 0 });
    const hold = deferred();
    const holding: Promise<void>[] = [];
    for (let i = 0; i < 2; i++) {
      holding.push(
        handle.db.connection().execute(async (conn) => {
          await sql`select 1`.execute(conn);
          await hold.promise;
        }),
      );
    }
    await waitFor(() => handle.poolStats().total === 2, 'two clients checked out');
    const queued = sql`select 1`.execute(handle.db);
    await waitFor(() => handle.poolStats().waiting === 1, 'a queued query');
    assert.deepEqual(handle.poolStats(), { total: 2, idle: 0, waiting: 1 });
    hold.resolve();
    await Promise.all([...holding, queued]);
    assert.deepEqual(handle.poolStats(), { total: 2, idle: 2, waiting: 0 });
  });

  test('a full pool fails a checkout after connectionTimeoutMs', async () => {
    const handle = open({ poolMax: 1, connectionTimeoutMs: 200 });
    const hold = deferred();
    const holding = handle.db.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      await hold.promise;
    });
    await waitFor(
      () => handle.poolStats().idle === 0 && handle.poolStats().total === 1,
      'checkout',
    );
    const started = Date.now();
    await assert.rejects(sql`select 1`.execute(handle.db), /timeout/i);
    assert.ok(Date.now() - started < 2_000);
    hold.resolve();
    await holding;
  });

  test('a statement over statement_timeout is cancelled', async () => {
    const handle = open({ statementTimeoutMs: 200 });
    const started = Date.now();
    await assert.rejects(sql`select pg_sleep(3)`.execute(handle.db), (error: unknown) => {
      assert.equal((error as { code?: unknown }).code, '57014');
      return true;
    });
    assert.ok(Date.now() - started < 2_000);
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(handle.db);
    assert.equal(rows[0]?.ok, 1, 'the pool recovers after a cancelled statement');
  });

  test('session settings reach the server', async () => {
    const handle = open({ applicationName: 'hamdam-test', idleInTransactionTimeoutMs: 1234 });
    const { rows } = await sql<{ app: string; idle: string; st: string }>`
      select current_setting('application_name') as app,
             current_setting('idle_in_transaction_session_timeout') as idle,
             current_setting('statement_timeout') as st`.execute(handle.db);
    assert.deepEqual(rows[0], { app: 'hamdam-test', idle: '1234ms', st: '5s' });
  });

  test("int8 parsing does not change pg's global parsers", async () => {
    const handle = open();
    const { rows } = await sql<{ n: unknown }>`select 5::int8 as n`.execute(handle.db);
    assert.equal(rows[0]?.n, 5);
    const direct = await admin.query<{ n: unknown }>('select 5::int8 as n');
    assert.equal(direct.rows[0]?.n, '5');
  });

  test('a connection killed while idle is reported, not fatal', async () => {
    const errors: Error[] = [];
    const name = `hamdam-kill-${randomBytes(4).toString('hex')}`;
    const handle = open({ applicationName: name, onError: (e) => errors.push(e) });
    await sql`select 1`.execute(handle.db);
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
      [name],
    );
    await waitFor(() => errors.length > 0, 'the idle client error');
    assert.equal(errors.length, 1, 'each failure is reported once');
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(handle.db);
    assert.equal(rows[0]?.ok, 1, 'a new connection replaces the dead one');
  });

  test('a connection killed mid-transaction is reported, not fatal', async () => {
    const errors: Error[] = [];
    const name = `hamdam-kill-${randomBytes(4).toString('hex')}`;
    const handle = open({ applicationName: name, onError: (e) => errors.push(e) });
    await assert.rejects(
      handle.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [name],
        );
        await waitFor(() => errors.length > 0, 'the checked-out client error');
        await sql`select 1`.execute(trx);
      }),
    );
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(handle.db);
    assert.equal(rows[0]?.ok, 1);
  });

  test('close is idempotent and later queries fail', async () => {
    const handle = createPostgresDatabase({ url, poolMax: 1 });
    await sql`select 1`.execute(handle.db);
    await handle.close();
    await handle.close();
    await assert.rejects(sql`select 1`.execute(handle.db));
    const unused = createPostgresDatabase({ url, poolMax: 1 });
    await unused.close();
  });

  test('bad options are refused', () => {
    assert.throws(() => createPostgresDatabase({ url, poolMax: 0 }), TypeError);
    assert.throws(() => createPostgresDatabase({ url, poolMax: 1.5 }), TypeError);
  });

  test('a wrong password or database fails without echoing the URL', async () => {
    const wrong = new URL(url);
    wrong.pathname = '/hamdam_no_such_database';
    wrong.password = 'sekrit-pass';
    const handle = open({ url: wrong.toString() });
    await assert.rejects(sql`select 1`.execute(handle.db), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.ok(!String(error.stack).includes('sekrit-pass'));
      return true;
    });
  });
});

describe('every query the bot runs is backed by an index', TIMEOUT, () => {
  test('with sequential scans priced out, no plan falls back to one', async () => {
    const handle = createPostgresDatabase({ url: await freshDatabaseUrl(), poolMax: 1 });
    try {
      await migrateToLatest(handle.db);
      const { db } = handle;
      const queries = [
        db.selectFrom('users').select(['id', 'telegram_id']).where('telegram_id', '=', 5),
        db
          .selectFrom('users')
          .select(['id', 'telegram_id'])
          .where('blocked_bot_at', 'is', null)
          .where('id', '>', 10)
          .orderBy('id')
          .limit(500),
        db.selectFrom('chats').select('id').where('key', '=', 'k'),
        db.selectFrom('reports').select('id').where('key', '=', 'k'),
        db
          .selectFrom('reports')
          .select('id')
          .where('reported', '=', 1)
          .where('created_at', '>', new Date(0)),
        db.selectFrom('blocks').select('blocker').where('blocked', '=', 1),
        db.selectFrom('blocks').select('blocked').where('blocker', '=', 1),
        db.selectFrom('bans').select('id').where('user_id', '=', 1),
        db.selectFrom('bans').select('id').where('key', '=', 'k'),
        db.selectFrom('chats').select('id').where('user_a', '=', 1),
        db.selectFrom('chats').select('id').where('user_b', '=', 1),
        // Retention's batches.
        db
          .selectFrom('chats')
          .select('id')
          .where('started_at', '<', new Date())
          .orderBy('started_at')
          .limit(1000),
        db
          .selectFrom('reports')
          .select('id')
          .where('created_at', '<', new Date())
          .orderBy('created_at')
          .limit(1000),
      ];
      // One transaction and `set local`, so the setting holds for every plan through a
      // transaction pool (PgBouncer) as well as on a direct connection.
      await db.transaction().execute(async (session) => {
        await sql`set local enable_seqscan = off`.execute(session);
        for (const query of queries) {
          const compiled = query.compile();
          const { rows } = await session.executeQuery<{ 'QUERY PLAN': string }>({
            ...compiled,
            sql: `explain ${compiled.sql}`,
          });
          const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          assert.doesNotMatch(plan, /Seq Scan/, `${compiled.sql}\n${plan}`);
        }
      });
    } finally {
      await handle.close();
    }
  });
});
