import {
  DEFAULT_PROFILE,
  UPDATE_QUEUES,
  bucketOf,
  compatibleBuckets,
  type Stamp,
} from '@hamdam/domain';
import type { FindResult, StoredProfile } from '@hamdam/store';
import type { BenchRedis } from './bench-redis.js';
import { runBounded } from './driver.js';
import { InvariantError, type MatchEvent } from './integrity.js';
import { storedProfileOf, type BenchUser, type IdSource } from './population.js';

/** What every scenario works with. */
export interface ScenarioContext {
  readonly redis: BenchRedis;
  readonly ids: IdSource;
  readonly signal: AbortSignal | undefined;
  /** Callers in flight in closed-loop phases (and in set-up, which is not measured). */
  readonly concurrency: number;
}

/**
 * The bot's own fallback for a user without a stored profile (see the router). Every bench
 * user has one stored, as /start does, so `find` reads the stored profile like in production.
 */
const FALLBACK: StoredProfile = {
  uid: 0,
  bucket: bucketOf(DEFAULT_PROFILE),
  candidates: compatibleBuckets(DEFAULT_PROFILE),
};

/**
 * Each simulated user sends one "Find a partner" message: the first update of their chat's
 * queue, so the de-duplication mark is read and written as for a real update.
 */
const FIRST_MESSAGE: Stamp = { queue: UPDATE_QUEUES.message, updateId: 1 };

/** One press of "Find a partner", through call slot `slot` of the connection pool. */
export function pressFind(
  ctx: ScenarioContext,
  slot: number,
  user: BenchUser,
): Promise<FindResult> {
  return ctx.redis
    .storeFor(slot)
    .find({ chatId: user.chatId, stamp: FIRST_MESSAGE, next: false, fallback: FALLBACK });
}

/** Stores every user's profile, as /start does before anyone searches. Not measured. */
export async function register(ctx: ScenarioContext, users: readonly BenchUser[]): Promise<void> {
  await runBounded(
    users.length,
    ctx.concurrency,
    (i) => ctx.redis.storeFor(i).setProfile(users[i]!.chatId, storedProfileOf(users[i]!)),
    ctx.signal,
  );
}

/**
 * Builds a standing queue: registers mutually incompatible users and has each press find.
 * Not measured. Every one of them must end up queued, or the mix was not what it claims.
 */
export async function buildQueue(ctx: ScenarioContext, users: readonly BenchUser[]): Promise<void> {
  await register(ctx, users);
  const driven = await runBounded(
    users.length,
    ctx.concurrency,
    (i) => pressFind(ctx, i, users[i]!),
    ctx.signal,
  );
  const notQueued = driven.results.filter((r) => r.kind !== 'queued').length;
  if (notQueued > 0) {
    const message = `${notQueued} of ${users.length} users filling it were not queued`;
    throw new InvariantError('standing queue', [message], notQueued);
  }
}

/** The `matched` answers among `results`, where results[i] answered users[i]. */
export function matchEvents(
  users: readonly BenchUser[],
  results: readonly FindResult[],
): MatchEvent[] {
  const out: MatchEvent[] = [];
  results.forEach((result, i) => {
    if (result.kind === 'matched') out.push({ seeker: users[i]!.chatId, partner: result.partner });
  });
  return out;
}

/** Calls per second over a wall time in milliseconds. */
export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : 0;
}
