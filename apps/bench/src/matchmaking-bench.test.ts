import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Profile } from '@hamdam/domain';
import { Redis } from 'ioredis';
import { openBenchRedis } from './bench-redis.js';
import { checkIntegrity, InvariantError } from './integrity.js';
import { IdSource, population, type BenchUser } from './population.js';
import { renderMarkdown } from './report.js';
import { defaultSettings, runMatchmakingBench } from './run-bench.js';
import { pressFind, register } from './scenario-kit.js';
import type { LatencySummary } from './stats.js';

// The real Redis on loopback (override with TEST_REDIS_URL), like the store's own tests.
// Only the shape and the bookkeeping of the results are asserted, never their timings.
const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function assertLatency(l: LatencySummary, samples: number): void {
  assert.equal(l.count, samples);
  for (const value of [l.meanMs, l.p50Ms, l.p95Ms, l.p99Ms, l.maxMs]) {
    assert.ok(Number.isFinite(value) && value >= 0, `latency ${value} is not a duration`);
  }
  assert.ok(l.p50Ms <= l.p95Ms && l.p95Ms <= l.p99Ms && l.p99Ms <= l.maxMs);
}

test('the matchmaking benchmark runs end to end, its checks pass and its counts add up', async () => {
  const settings = {
    ...defaultSettings(200, 1),
    offeredLoads: [200, 1_000],
    levelSeconds: 0.2,
    probes: 40,
  };
  const lines: string[] = [];
  const report = await runMatchmakingBench({
    redisUrl: url,
    settings,
    progress: (line) => lines.push(line),
  });

  assert.equal(report.checksPassed, true);
  assert.equal(report.runs.length, 1);
  assert.ok(report.machine.cpuCount > 0);
  assert.match(report.machine.redis, /^\d+\.\d+/);
  assert.ok(!lines.some((l) => l.startsWith('clean-up')), lines.join('\n'));

  const fill = report.medians.queueFill;
  assert.equal(fill.users, 200);
  assert.equal(fill.pairs * 2 + fill.queued, fill.users);
  assert.equal(
    Object.values(fill.queuedByBucket).reduce((sum, n) => sum + n, 0),
    fill.queued,
  );
  assert.ok(fill.pairs > 0);
  assertLatency(fill.latency, fill.users);

  assert.deepEqual(
    report.medians.arrivals.map((a) => a.offeredPerSec),
    [200, 1_000, null],
  );
  for (const level of report.medians.arrivals) {
    assert.equal(level.pairs, level.arrivals, 'every arrival meets a partner');
    assert.equal(level.waitingAfter, level.waitingBefore - level.arrivals);
    assert.equal(level.waitingBefore, 200);
    assertLatency(level.latency, level.arrivals);
  }

  assert.deepEqual(
    report.medians.queueScale.map((c) => c.waiting),
    [100, 200, 1_000],
  );
  for (const size of report.medians.queueScale) {
    assertLatency(size.match, 40);
    assertLatency(size.enqueue, 40);
    assert.ok(size.serverUsPerFind >= 0);
  }

  assert.match(renderMarkdown(report), /## C\. Find latency by queue size/);
  assert.equal(report.scenarioRunsChecked, 1 + 3 + 3);

  // Everything written under the run's own prefix is gone again.
  const redis = new Redis(url);
  try {
    const left = await redis.keys(`${report.keyPrefix.replace(/[{}]/g, '\\$&')}*`);
    assert.deepEqual(left, []);
  } finally {
    await redis.quit();
  }
});

test('the integrity check fails on pairings that disagree with the store', async () => {
  const redis = await openBenchRedis(url, 1);
  try {
    const ctx = { redis, ids: new IdSource(), signal: undefined, concurrency: 4 };
    const only = (profile: Profile): BenchUser =>
      population(1, [{ profile, share: 1 }], ctx.ids, 1)[0]!;
    const adult = {
      lang: 'en',
      age: 30,
      ageMin: 18,
      ageMax: 99,
      sameLanguage: false,
      protect: false,
    } as const;
    const a = only({ ...adult, gender: 'm', wants: 'f' });
    const b = only({ ...adult, gender: 'f', wants: 'm' });
    const users = [a, b];
    await register(ctx, users);
    assert.equal((await pressFind(ctx, 0, a)).kind, 'queued');
    assert.equal((await pressFind(ctx, 0, b)).kind, 'matched');

    const truth = [{ seeker: b.chatId, partner: a.chatId }];
    const census = await checkIntegrity(redis, 'truth', users, truth);
    assert.equal(census.pairs * 2 + census.queued, users.length);
    await assert.rejects(checkIntegrity(redis, 'forged', users, []), InvariantError);
    await assert.rejects(
      checkIntegrity(redis, 'forged', users, [...truth, ...truth]),
      InvariantError,
    );
  } finally {
    await redis.wipe();
    await redis.close();
  }
});
