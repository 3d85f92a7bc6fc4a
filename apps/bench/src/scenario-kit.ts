import { UPDATE_QUEUES, type Stamp } from '@hamdam/domain';
import type { FindResult, StateStore } from '@hamdam/store';
import type { BenchRedis } from './bench-redis.js';
import { runBounded } from './driver.js';
import { InvariantError, type MatchEvent } from './integrity.js';
import type { BenchUser, IdSource } from './population.js';

/** What every scenario works with. */
export interface ScenarioContext {
  readonly redis: BenchRedis;
  readonly ids: IdSource;
  readonly signal: AbortSignal | undefined;
  /** Callers in flight in closed-loop phases (and in set-up, which is not measured). */
  readonly concurrency: number;
}

/**
 * Each simulated user's updates, as Telegram numbers them within their chat's queues: /start,
 * then the age answer, then one "Find a partner"; the button presses in the callback queue.
 * The de-duplication mark is read and written as for real updates.
 */
const message = (n: number): Stamp => ({ queue: UPDATE_QUEUES.message, updateId: n });
const press = (n: number): Stamp => ({ queue: UPDATE_QUEUES.callback, updateId: n });

/** One press of "Find a partner", through call slot `slot` of the connection pool. */
export function pressFind(
  ctx: ScenarioContext,
  slot: number,
  user: BenchUser,
): Promise<FindResult> {
  return ctx.redis
    .storeFor(slot)
    .pairing.find({ chatId: user.chatId, stamp: message(3), next: false, langHint: 'en' });
}

/**
 * Takes every user through onboarding, as the bot does before anyone searches: /start, the
 * language and gender buttons, the age, then the wanted gender from Settings. Not measured.
 */
export async function register(ctx: ScenarioContext, users: readonly BenchUser[]): Promise<void> {
  await runBounded(
    users.length,
    ctx.concurrency,
    (i) => onboard(ctx.redis.storeFor(i), users[i]!),
    ctx.signal,
  );
}

async function onboard(store: StateStore, user: BenchUser): Promise<void> {
  const { chatId, profile } = user;
  const change = (
    n: number,
    onboarding: boolean,
    c: Parameters<StateStore['profiles']['change']>[0]['change'],
  ) =>
    store.profiles.change({
      chatId,
      stamp: press(n),
      change: c,
      onboarding,
      queryId: 'bench',
      messageId: null,
    });
  await store.pairing.start({ chatId, stamp: message(1), langHint: profile.lang });
  await change(1, true, { field: 'lang', value: profile.lang });
  await change(2, true, { field: 'gender', value: profile.gender });
  await store.pairing.relay({
    chatId,
    stamp: message(2),
    messageId: 2,
    mediaGroup: null,
    replyTo: null,
    ageAnswer: profile.age,
    unknownCommand: false,
    refused: false,
  });
  if (profile.wants !== 'any') await change(3, false, { field: 'wants', value: profile.wants });
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
