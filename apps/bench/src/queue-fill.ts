import { runBounded } from './driver.js';
import { checkIntegrity } from './integrity.js';
import { population, REALISTIC_MIX } from './population.js';
import {
  matchEvents,
  perSecond,
  pressFind,
  register,
  type ScenarioContext,
} from './scenario-kit.js';
import { summarize, type LatencySummary } from './stats.js';

/** Scenario A: everybody arrives at once into an empty store and presses find once. */
export interface QueueFillResult {
  readonly users: number;
  readonly pairs: number;
  readonly queued: number;
  readonly elapsedMs: number;
  readonly findsPerSec: number;
  readonly matchesPerSec: number;
  readonly latency: LatencySummary;
  /**
   * Who is still waiting, per bucket. They are incompatible leftovers: the integrity check
   * has proved no two of them accept each other, so they wait for someone who has not come.
   */
  readonly queuedByBucket: Readonly<Record<string, number>>;
}

export async function queueFill(
  ctx: ScenarioContext,
  userCount: number,
  seed: number,
): Promise<QueueFillResult> {
  await ctx.redis.wipe();
  const users = population(userCount, REALISTIC_MIX, ctx.ids, seed);
  await register(ctx, users);
  const driven = await runBounded(
    users.length,
    ctx.concurrency,
    (i) => pressFind(ctx, i, users[i]!),
    ctx.signal,
  );
  const matches = matchEvents(users, driven.results);
  const census = await checkIntegrity(ctx.redis, 'queue fill', users, matches);
  return {
    users: users.length,
    pairs: census.pairs,
    queued: census.queued,
    elapsedMs: Math.round(driven.elapsedMs),
    findsPerSec: perSecond(users.length, driven.elapsedMs),
    matchesPerSec: perSecond(census.pairs, driven.elapsedMs),
    latency: summarize(driven.latenciesMs),
    queuedByBucket: census.queuedByBucket,
  };
}
