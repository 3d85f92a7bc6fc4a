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
