import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createPostgresDatabase, migrateToLatest, type DatabaseHandle } from '@hamdam/db';
import { openEmbeddedStateStore, openRedisStateStore, type StateStore } from '@hamdam/store';
import { JournalFlusher } from './journal-flusher.js';
import { createLogger } from './logger.js';
import { dropRedisPrefix, scratchDatabase, TEST_REDIS_URL } from './testing/stack.js';

// A long Postgres outage: the journal keeps every record, however many, and all of them reach
// Postgres once it is back (nothing is trimmed while it waits).
describe('journal flusher: Postgres away, then back', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let up: DatabaseHandle;
  let down: DatabaseHandle;
  before(async () => {
    scratch = await scratchDatabase();
    up = createPostgresDatabase({ url: scratch.url, poolMax: 2 });
    await migrateToLatest(up.db);
    down = createPostgresDatabase({
      url: 'postgres://hamdam@127.0.0.1:1/hamdam',
      poolMax: 1,
      connectionTimeoutMs: 500,
    });
  });
  after(async () => {
    await down.close();
    await up.close();
    await scratch.drop();
  });

  const flusher = (store: StateStore, database: DatabaseHandle) =>
    new JournalFlusher({
      journal: store.journal,
      database,
      logger: createLogger('silent'),
      reader: 'w1',
      batch: 40,
    });

  const stores: [string, () => { store: StateStore; drop: () => Promise<void> }][] = [
    [
      'Redis',
      () => {
        const prefix = `test:${randomBytes(5).toString('hex')}:{h}:`;
        const store = openRedisStateStore(new Redis(TEST_REDIS_URL), {
          prefix,
          journalClaimIdleMs: 0,
        });
        return { store, drop: () => dropRedisPrefix(prefix) };
      },
    ],
    ['embedded', () => ({ store: openEmbeddedStateStore(), drop: async () => {} })],
  ];

  for (const [name, open] of stores) {
    it(`keeps every record while Postgres is away and stores them all once it is back (${name})`, async () => {
      const { store, drop } = open();
      const firstChat = name === 'Redis' ? 700_000 : 800_000;
      const records = 300;
      try {
        for (let i = 0; i < records; i++) await store.moderation.ban(firstChat + i, null, 1);
        for (let attempt = 0; attempt < 3; attempt++) {
          await assert.rejects(flusher(store, down).flush(), 'Postgres is unreachable');
        }
        assert.equal((await store.upkeep.stats(60_000)).journal, records, 'every record is kept');
        assert.equal(await flusher(store, up).flush(), records);
        const stored = await up.db
          .selectFrom('bans')
          .innerJoin('users', 'users.id', 'bans.user_id')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('users.telegram_id', '>=', firstChat)
          .where('users.telegram_id', '<', firstChat + records)
          .executeTakeFirstOrThrow();
        assert.equal(Number(stored.n), records, 'every ban reached Postgres');
        assert.equal((await store.upkeep.stats(60_000)).journal, 0, 'and left Redis');
      } finally {
        await store.close();
        await drop();
      }
    });
  }
});

// A crowd arriving at once: each flush writes a kind of record in one statement, not one per
// record, and a ban in the middle still comes after what was journaled before it.
describe('journal flusher: a batch is a statement per kind of record', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let database: DatabaseHandle;
  let statements = 0;
  before(async () => {
    scratch = await scratchDatabase();
    const handle = createPostgresDatabase({ url: scratch.url, poolMax: 2 });
    await migrateToLatest(handle.db);
    const counted = handle.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    database = { ...handle, db: counted };
  });
  after(async () => {
    await database.close();
    await scratch.drop();
  });

  it('writes forty starts around a ban in five statements', async () => {
    const store = openEmbeddedStateStore();
    const first = 900_000;
    let update = 1;
    const start = (chatId: number) =>
      store.pairing.start({ chatId, stamp: { queue: 'm', updateId: update++ }, langHint: 'en' });
    try {
      // Known to Postgres, and recorded as having blocked the bot an hour ago.
      const hourAgo = new Date(Date.now() - 3_600_000);
      await database.db
        .insertInto('users')
        .values(
          Array.from({ length: 40 }, (_, i) => ({
            telegram_id: first + i,
            blocked_bot_at: hourAgo,
          })),
        )
        .execute();
      for (let i = 0; i < 20; i++) await start(first + i);
      await store.moderation.ban(first, null, 1);
      for (let i = 20; i < 40; i++) await start(first + i);
      statements = 0;
      const flusher = new JournalFlusher({
        journal: store.journal,
        database,
        logger: createLogger('silent'),
        reader: 'w1',
      });
      assert.equal(await flusher.flush(), 41);
      // The users' ids; the starts before the ban; the ban (its record, then the user's row);
      // the starts after it.
      assert.equal(statements, 5);
      const still = await database.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('telegram_id', '>=', first)
        .where('telegram_id', '<', first + 40)
        .where('blocked_bot_at', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.equal(Number(still.n), 0, 'every start cleared its block');
      const ban = await database.db
        .selectFrom('bans')
        .innerJoin('users', 'users.id', 'bans.user_id')
        .select('users.telegram_id')
        .executeTakeFirst();
      assert.equal(Number(ban?.telegram_id), first);
    } finally {
      await store.close();
    }
  });
});
