import type { FindResult } from '@hamdam/store';
import { runBounded, runPaced, type Driven } from './driver.js';
import { checkIntegrity, InvariantError } from './integrity.js';
import { ARRIVAL_MIX, population, WAITING_MIX } from './population.js';
import {
  buildQueue,
  matchEvents,
  perSecond,
  pressFind,
  register,
  type ScenarioContext,
} from './scenario-kit.js';
import { summarize, type LatencySummary } from './stats.js';

/**
 * Scenario B, one offered load: compatible users arrive against a standing queue. Every
 * arrival has a partner waiting, so its `find` latency is the whole wait for a match.
 */
export interface ArrivalLevelResult {
  /** Offered arrivals per second; null for the unpaced level (as fast as the pool goes). */
  readonly offeredPerSec: number | null;
  readonly waitingBefore: number;
  readonly arrivals: number;
  readonly pairs: number;
  readonly waitingAfter: number;
  readonly elapsedMs: number;
  /** Arrivals actually issued per second (timers may bunch them; it should match the offer). */
  readonly issuedPerSec: number;
  readonly matchesPerSec: number;
  readonly latency: LatencySummary;
}

export interface StandingQueueSettings {
  readonly waiting: number;
  readonly offeredLoads: readonly number[];
  /** How long a paced level runs, at most; arrivals are also capped at half the queue. */
  readonly levelSeconds: number;
}

export async function standingQueue(
  ctx: ScenarioContext,
  settings: StandingQueueSettings,
  seed: number,
): Promise<ArrivalLevelResult[]> {
  const out: ArrivalLevelResult[] = [];
  // Never more arrivals than half the queue, so the queue still stands at the last arrival.
  const cap = Math.max(1, Math.floor(settings.waiting / 2));
  for (const rate of [...settings.offeredLoads, null]) {
    const arrivals =
      rate === null ? cap : Math.min(cap, Math.max(1, Math.round(rate * settings.levelSeconds)));
    out.push(await level(ctx, settings.waiting, arrivals, rate, seed));
  }
  return out;
}

async function level(
  ctx: ScenarioContext,
  waitingCount: number,
  arrivalCount: number,
  rate: number | null,
  seed: number,
): Promise<ArrivalLevelResult> {
  await ctx.redis.wipe();
  const waiting = population(waitingCount, WAITING_MIX, ctx.ids, seed);
  await buildQueue(ctx, waiting);
  const arrivals = population(arrivalCount, ARRIVAL_MIX, ctx.ids, seed + 1);
  await register(ctx, arrivals);

  const press = (i: number): Promise<FindResult> => pressFind(ctx, i, arrivals[i]!);
  const driven: Driven<FindResult> & { readonly issueSeconds?: number } =
    rate === null
      ? await runBounded(arrivals.length, ctx.concurrency, press, ctx.signal)
      : await runPaced(arrivals.length, rate, press, ctx.signal);

  const label = rate === null ? 'unpaced' : `${rate}/s`;
  const unmatched = driven.results.filter((r) => r.kind !== 'matched').length;
  if (unmatched > 0) {
    const message = `${unmatched} arrivals found nobody although the queue stood`;
    throw new InvariantError(`arrivals at ${label}`, [message], unmatched);
  }
  const matches = matchEvents(arrivals, driven.results);
  const census = await checkIntegrity(
    ctx.redis,
    `arrivals at ${label}`,
    [...waiting, ...arrivals],
    matches,
  );
  const issueSeconds = driven.issueSeconds ?? driven.elapsedMs / 1000;
  return {
    offeredPerSec: rate,
    waitingBefore: waiting.length,
    arrivals: arrivals.length,
    pairs: census.pairs,
    waitingAfter: census.queued,
    elapsedMs: Math.round(driven.elapsedMs),
    // n arrivals span n - 1 intervals.
    issuedPerSec: issueSeconds > 0 ? Math.round((arrivals.length - 1) / issueSeconds) : 0,
    matchesPerSec: perSecond(census.pairs, driven.elapsedMs),
    latency: summarize(driven.latenciesMs),
  };
}
