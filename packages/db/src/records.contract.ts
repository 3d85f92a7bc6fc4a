import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseHandle } from './database-handle.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { recordChats } from './chats.js';
import { purgeOlderThan } from './retention.js';
import {
  countReachableUsers,
  reachableUsers,
  recordBans,
  recordBlocks,
  recordReports,
  recordUnbans,
  savedUser,
  userIds,
} from './records.js';
import { markBotBlocked, markBotStarted, saveProfiles } from './user-updates.js';

/** The journal flusher's writes, on both backends: each batch idempotent, each rule kept. */
export function defineRecordsSuite(backend: string, open: () => Promise<DatabaseHandle>): void {
  describe(`journal records on ${backend}`, { timeout: 30_000 }, () => {
    let handle: DatabaseHandle;
    let next = 2_000_000_001;
    const tid = () => next++;
    before(async () => {
      handle = await open();
      await migrateToLatest(handle.db);
    });
    after(async () => {
      await handle.close();
    });

    test('users are found or created by Telegram id, in one go', async () => {
      const [a, b] = [tid(), tid()];
      const first = await userIds(handle.db, [a, b, a]);
      assert.equal(first.size, 2);
      const again = await userIds(handle.db, [b]);
      assert.equal(again.get(b), first.get(b), 'the same row');
    });

    test('a profile is saved, and onboarding is marked done once', async () => {
      const t = tid();
      const id = (await userIds(handle.db, [t])).get(t)!;
      const profile = {
        userId: id,
        language: 'fa' as const,
        gender: 'f' as const,
        age: 24,
        wants: 'any' as const,
        ageMin: 18,
        ageMax: 34,
        sameLanguage: true,
        protectContent: true,
      };
      await saveProfiles(handle.db, [{ ...profile, at: new Date('2026-01-01T00:00:00Z') }]);
      await saveProfiles(handle.db, [
        { ...profile, age: 25, at: new Date('2026-02-01T00:00:00Z') },
      ]);
      const row = await handle.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [
          row.language,
          row.gender,
          row.age,
          row.age_min,
          row.age_max,
          row.same_language,
          row.protect_content,
        ],
        ['fa', 'f', 25, 18, 34, true, true],
      );
      assert.equal(row.onboarded_at?.toISOString(), '2026-01-01T00:00:00.000Z');
    });

    test('reports, blocks and bans flushed twice are stored once', async () => {
      const [a, b] = [tid(), tid()];
      const ids = await userIds(handle.db, [a, b]);
      const [ua, ub] = [ids.get(a)!, ids.get(b)!];
      const at = new Date();
      const report = { key: `r-${a}`, reporter: ua, reported: ub, reason: 'abuse', at };
      assert.deepEqual(await recordReports(handle.db, [report]), { inserted: 1 });
      assert.deepEqual(await recordReports(handle.db, [report]), { inserted: 0 });
      await recordBlocks(handle.db, [{ blocker: ua, blocked: ub, at }]);
      await recordBlocks(handle.db, [{ blocker: ua, blocked: ub, at }]);
      const ban = {
        key: `b-${b}`,
        userId: ub,
        reason: 'reports',
        at,
        until: new Date(Date.now() + 3_600_000),
        by: null,
      };
      await recordBans(handle.db, [ban]);
      await recordBans(handle.db, [ban]);
      const count = async (table: 'reports' | 'blocks' | 'bans') =>
        Number(
          (
            await handle.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      assert.deepEqual([await count('reports'), await count('blocks')], [1, 1]);
      assert.ok((await count('bans')) >= 1);
      const banned = await handle.db
        .selectFrom('users')
        .select(['banned_until', 'ban_reason'])
        .where('id', '=', ub)
        .executeTakeFirstOrThrow();
      assert.equal(banned.ban_reason, 'reports');
      await recordUnbans(handle.db, [{ userId: ub, at }]);
      const lifted = await handle.db
        .selectFrom('users')
        .select('banned_until')
        .where('id', '=', ub)
        .executeTakeFirstOrThrow();
      assert.equal(lifted.banned_until, null);
    });

    test('chats and reports older than the cutoff are deleted in batches; newer ones stay', async () => {
      const [a, b] = [tid(), tid()];
      const ids = await userIds(handle.db, [a, b]);
      const [ua, ub] = [ids.get(a)!, ids.get(b)!];
      // Dated before 2000, so no other test's rows are that old.
      const old = (i: number) => new Date(Date.UTC(1999, 0, 1 + i));
      const cutoff = new Date(Date.UTC(2000, 0, 1));
      await recordChats(
        handle.db,
        [0, 1, 2, 3, 4].map((i) => ({
          key: `retention:${a}:${i}`,
          userA: ua,
          userB: ub,
          startedAt: i < 4 ? old(i) : cutoff,
          endedAt: null,
          endReason: null,
          messagesA: 0,
          messagesB: 0,
        })),
      );
      await recordReports(
        handle.db,
        [0, 1, 2].map((i) => ({
          key: `retention:${a}:${i}`,
          reporter: ua,
          reported: ub,
          reason: 'spam',
          at: i < 2 ? old(i) : cutoff,
        })),
      );
      const first = await purgeOlderThan(handle.db, cutoff, { batch: 3, rounds: 1 });
      assert.deepEqual(first, { chats: 3, reports: 2 }, 'one batch of each per round');
      const rest = await purgeOlderThan(handle.db, cutoff, { batch: 3 });
      assert.deepEqual(rest, { chats: 1, reports: 0 });
      const chats = await handle.db
        .selectFrom('chats')
        .select('key')
        .where('user_a', '=', ua)
        .execute();
      assert.deepEqual(
        chats.map((c) => c.key),
        [`retention:${a}:4`],
      );
      const reports = await handle.db
        .selectFrom('reports')
        .select('key')
        .where('reported', '=', ub)
        .execute();
      assert.deepEqual(
        reports.map((r) => r.key),
        [`retention:${a}:2`],
      );
    });

    test('a saved user comes back with everyone blocked or reported either way', async () => {
      const [me, blocked, blocker, reported, reporter, stranger] = [
        tid(),
        tid(),
        tid(),
        tid(),
        tid(),
        tid(),
      ];
      const ids = await userIds(handle.db, [me, blocked, blocker, reported, reporter, stranger]);
      const id = (t: number) => ids.get(t)!;
      const at = new Date();
      await saveProfiles(handle.db, [
        {
          userId: id(me),
          language: 'en',
          gender: 'm',
          age: 30,
          wants: 'f',
          ageMin: 25,
          ageMax: 44,
          sameLanguage: false,
          protectContent: false,
          at,
        },
      ]);
      await recordBlocks(handle.db, [
        { blocker: id(me), blocked: id(blocked), at },
        { blocker: id(blocker), blocked: id(me), at },
        { blocker: id(stranger), blocked: id(reporter), at },
      ]);
      await recordReports(handle.db, [
        { key: `r-${me}`, reporter: id(me), reported: id(reported), reason: 'spam', at },
        { key: `r-${reporter}`, reporter: id(reporter), reported: id(me), reason: 'abuse', at },
        { key: `r2-${me}`, reporter: id(me), reported: id(blocked), reason: 'spam', at },
      ]);
      const saved = await savedUser(handle.db, me);
      assert.deepEqual(
        [...(saved?.apart ?? [])].sort((a, b) => a - b),
        [blocked, blocker, reported, reporter],
      );
      assert.deepEqual(saved?.profile.wants, 'f');
      assert.equal(await savedUser(handle.db, stranger), null, 'never onboarded');
    });

    test('a broadcast reaches users page by page, skipping those who blocked the bot or are banned', async () => {
      const t = [tid(), tid(), tid(), tid()];
      const ids = await userIds(handle.db, t);
      const [u0, u1, u2, u3] = t.map((x) => ids.get(x)!);
      await markBotBlocked(handle.db, [{ userId: u1!, at: new Date() }]);
      await recordBans(handle.db, [
        { key: `b-${u2}`, userId: u2!, reason: 'admin', at: new Date(), until: null, by: 1 },
      ]);
      const reached: number[] = [];
      let after = u0! - 1;
      for (;;) {
        const page = await reachableUsers(handle.db, after, 1);
        if (page.length === 0) break;
        reached.push(...page.map((p) => p.id));
        after = page[page.length - 1]!.id;
      }
      assert.ok(reached.includes(u0!) && reached.includes(u3!));
      assert.ok(!reached.includes(u1!) && !reached.includes(u2!));
      assert.ok((await countReachableUsers(handle.db)) >= 2);
    });

    test('a batch of users is one statement per function, and the last word about a user wins', async () => {
      const t = Array.from({ length: 30 }, () => tid());
      const ids = await userIds(handle.db, t);
      const id = (x: number) => ids.get(x)!;
      let statements = 0;
      const counted = handle.db.withPlugin({
        transformQuery: (args) => {
          statements++;
          return args.node;
        },
        transformResult: (args) => Promise.resolve(args.result),
      });
      const profile = (x: number, age: number, at: Date) => ({
        userId: id(x),
        language: 'en' as const,
        gender: 'm' as const,
        age,
        wants: null,
        ageMin: 18,
        ageMax: 60,
        sameLanguage: false,
        protectContent: false,
        at,
      });
      const early = new Date(Date.now() - 60_000);
      const late = new Date();
      await saveProfiles(counted, [
        ...t.map((x) => profile(x, 20, early)),
        profile(t[0]!, 21, late),
      ]);
      await markBotBlocked(counted, [
        ...t.map((x) => ({ userId: id(x), at: early })),
        { userId: id(t[1]!), at: late },
      ]);
      // A start before the block, then one after it: the block is lifted.
      await markBotStarted(counted, [
        { telegramId: t[2]!, at: new Date(early.getTime() - 1_000) },
        { telegramId: t[2]!, at: late },
        { telegramId: t[3]!, at: new Date(early.getTime() - 1_000) },
      ]);
      assert.equal(statements, 3, 'one statement per function');
      const rows = await handle.db
        .selectFrom('users')
        .select(['telegram_id', 'age', 'wants', 'blocked_bot_at', 'onboarded_at'])
        .where('telegram_id', 'in', t)
        .execute();
      const row = (x: number) => rows.find((r) => Number(r.telegram_id) === x)!;
      assert.equal(rows.length, 30);
      assert.equal(row(t[0]!).age, 21, 'the later profile of a user wins');
      assert.equal(row(t[5]!).age, 20);
      assert.equal(row(t[5]!).wants, 'any');
      assert.ok(rows.every((r) => r.onboarded_at !== null));
      assert.equal(row(t[1]!).blocked_bot_at?.getTime(), late.getTime());
      assert.equal(row(t[2]!).blocked_bot_at, null, 'started after the block');
      assert.equal(row(t[3]!).blocked_bot_at?.getTime(), early.getTime(), 'started before it');
      await saveProfiles(counted, []);
      await markBotStarted(counted, []);
      assert.equal(statements, 3, 'an empty batch runs nothing');
    });

    test('a user who starts the bot again is reachable; a block recorded after the start stays', async () => {
      const t = [tid(), tid()];
      const ids = await userIds(handle.db, t);
      const [u0, u1] = t.map((x) => ids.get(x)!);
      const blockedAt = async (id: number) =>
        (
          await handle.db
            .selectFrom('users')
            .select('blocked_bot_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).blocked_bot_at;
      const early = new Date(Date.now() - 60_000);
      const late = new Date();
      await markBotBlocked(handle.db, [{ userId: u0!, at: early }]);
      await markBotBlocked(handle.db, [{ userId: u1!, at: late }]);
      await markBotStarted(handle.db, [
        { telegramId: t[0]!, at: late },
        { telegramId: t[1]!, at: early },
        { telegramId: tid(), at: late },
      ]);
      assert.equal(await blockedAt(u0!), null);
      assert.notEqual(await blockedAt(u1!), null, 'blocked after that start');
      const reached = await reachableUsers(handle.db, u0! - 1, 10);
      assert.ok(reached.some((r) => r.id === u0));
    });
  });
}
