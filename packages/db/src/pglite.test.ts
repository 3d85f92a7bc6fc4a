import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createPgliteDatabase } from './pglite-database.js';
import type { DatabaseHandle } from './database-handle.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { defineRecordsSuite } from './records.contract.js';
import { defineRepositorySuite } from './repository.contract.js';
import { getUserById, upsertUser } from './users.js';

// The embedded backend: the same contract as Postgres, plus what is particular to one
// in-process connection.

const TIMEOUT = { timeout: 60_000 };

defineRepositorySuite('pglite', () => createPgliteDatabase());
defineRecordsSuite('pglite', () => createPgliteDatabase());

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('pglite specifics', TIMEOUT, () => {
  let dataDir: string;
  let handle: DatabaseHandle;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hamdam-pglite-'));
    handle = await createPgliteDatabase({ dataDir });
  });
  after(async () => {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('poolStats shows the one connection, busy or idle, and the queue', async () => {
    assert.deepEqual(handle.poolStats(), { total: 1, idle: 1, waiting: 0 });
    const hold = deferred();
    let entered = (): void => {};
    const inside = new Promise<void>((r) => (entered = r));
    const holding = handle.db.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      entered();
      await hold.promise;
    });
    await inside;
    const queued = [sql`select 1`.execute(handle.db), sql`select 2`.execute(handle.db)];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(handle.poolStats(), { total: 1, idle: 0, waiting: 2 });
    hold.resolve();
    await Promise.all([holding, ...queued]);
    assert.deepEqual(handle.poolStats(), { total: 1, idle: 1, waiting: 0 });
  });

  test('a transaction aborted by an error does not commit what came before', async () => {
    await migrateToLatest(handle.db);
    const telegramId = 555_000_111;
    await assert.rejects(
      handle.db.transaction().execute(async (trx) => {
        await upsertUser(trx, { telegramId });
        // Swallowing the error leaves the transaction aborted; COMMIT must not pretend.
        await sql`select 1 / 0`.execute(trx).catch(() => undefined);
      }),
      (error: unknown) => error instanceof Error && error.name === 'AbortedTransactionError',
    );
    const found = await handle.db
      .selectFrom('users')
      .select('id')
      .where('telegram_id', '=', telegramId)
      .executeTakeFirst();
    assert.equal(found, undefined);
  });

  test('data in dataDir survives a restart', async () => {
    await migrateToLatest(handle.db);
    const { id } = await upsertUser(handle.db, { telegramId: 777_000_001, languageCode: 'fa' });
    await handle.close();

    handle = await createPgliteDatabase({ dataDir });
    assert.deepEqual(await migrateToLatest(handle.db), { applied: [] });
    const user = await getUserById(handle.db, id);
    assert.equal(user?.telegramId, 777_000_001);
    assert.equal((await upsertUser(handle.db, { telegramId: 777_000_001 })).created, false);
  });

  test('close() lets queued work finish, then refuses queries', async () => {
    const closing = await createPgliteDatabase();
    const hold = deferred();
    let entered = (): void => {};
    const inside = new Promise<void>((r) => (entered = r));
    const holding = closing.db.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      entered();
      await hold.promise;
    });
    await inside;
    const queued = sql<{ two: number }>`select 2 as two`.execute(closing.db);
    await new Promise((r) => setImmediate(r));
    assert.equal(closing.poolStats().waiting, 1);
    const closed = closing.close();
    hold.resolve();
    await holding;
    assert.deepEqual((await queued).rows, [{ two: 2 }]);
    await closed;
    // kysely refuses first ("driver has already been destroyed"); the driver's own
    // DatabaseClosedError covers a query that got past that check before close() began.
    await assert.rejects(sql`select 1`.execute(closing.db), /destroyed|closed/);
    await closing.close();
  });
});
