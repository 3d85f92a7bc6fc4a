import type { FindResult } from '@hamdam/store';
import { scriptStats } from './bench-redis.js';
import { checkIntegrity, InvariantError, type MatchEvent } from './integrity.js';
import { ARRIVAL_MIX, population, WAITING_MIX, type BenchUser } from './population.js';
import { buildQueue, pressFind, register, type ScenarioContext } from './scenario-kit.js';
import { round, summarize, type LatencySummary } from './stats.js';

/**
 * Scenario C, one queue size: how long `find` takes with that many people waiting. If a match
 * walked the queue, the time would grow with it; looking only at bucket heads, it should not.
 */
export interface QueueScaleResult {
  readonly waiting: number;
  readonly probes: number;
  /** An arrival that finds a partner at the head of the queue. */
  readonly match: LatencySummary;
  /** A newcomer who finds nobody compatible and joins the tail, keeping the size steady. */
  readonly enqueue: LatencySummary;
  /**
   * Redis's own time per script call across both kinds of call (INFO commandstats), free of
   * the round trip and the client, which dominate the latencies above.
   */
  readonly serverUsPerFind: number;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * One call at a time, so each latency is the cost of a single find rather than of waiting
 * behind others. Each probe is an arrival that pairs with the head, then a newcomer that
 * joins the tail, so the queue holds its size for the whole measurement.
 */
export async function queueScale(
  ctx: ScenarioContext,
  waitingCount: number,
  probes: number,
  seed: number,
): Promise<QueueScaleResult> {
  await ctx.redis.wipe();
  const waiting = population(waitingCount, WAITING_MIX, ctx.ids, seed);
  await buildQueue(ctx, waiting);
  const arrivals = population(probes, ARRIVAL_MIX, ctx.ids, seed + 1);
  const newcomers = population(probes, WAITING_MIX, ctx.ids, seed + 2);
  await register(ctx, [...arrivals, ...newcomers]);

  const label = `queue of ${waitingCount}`;
  const matchMs = new Float64Array(probes);
  const enqueueMs = new Float64Array(probes);
  const matches: MatchEvent[] = [];
  const timed = async (user: BenchUser, into: Float64Array, i: number): Promise<FindResult> => {
    const start = nowMs();
    const result = await pressFind(ctx, i, user);
    into[i] = nowMs() - start;
    return result;
  };
  const before = await scriptStats(ctx.redis.admin);
  for (let i = 0; i < probes; i++) {
    ctx.signal?.throwIfAborted();
    const arrival = arrivals[i]!;
    const matched = await timed(arrival, matchMs, i);
    if (matched.kind !== 'matched') {
      throw new InvariantError(label, [`arrival ${arrival.chatId} was ${matched.kind}`], 1);
    }
    matches.push({ seeker: arrival.chatId, partner: matched.partner });
    const newcomer = newcomers[i]!;
    const queued = await timed(newcomer, enqueueMs, i);
    if (queued.kind !== 'queued') {
      throw new InvariantError(label, [`newcomer ${newcomer.chatId} was ${queued.kind}`], 1);
    }
  }
  const after = await scriptStats(ctx.redis.admin);
  const census = await checkIntegrity(
    ctx.redis,
    label,
    [...waiting, ...arrivals, ...newcomers],
    matches,
  );
  if (census.queued !== waitingCount) {
    throw new InvariantError(
      label,
      [`${census.queued} waiting at the end, not ${waitingCount}`],
      1,
    );
  }
  const calls = after.calls - before.calls;
  return {
    waiting: waitingCount,
    probes,
    match: summarize(matchMs),
    enqueue: summarize(enqueueMs),
    serverUsPerFind: calls > 0 ? round((after.usec - before.usec) / calls, 1) : 0,
  };
}
