import { GENDERS, WANTS, accepts, bucketOf, type Profile } from '@hamdam/domain';
import type { UserState } from '@hamdam/store';
import type { BenchRedis } from './bench-redis.js';
import { runBounded } from './driver.js';
import type { BenchUser } from './population.js';

/** A `find` that answered `matched`: `seeker` called it and was paired with `partner`. */
export interface MatchEvent {
  readonly seeker: number;
  readonly partner: number;
}

/** Where everyone of a scenario run ended up, as read back from Redis. */
export interface Census {
  readonly users: number;
  readonly pairs: number;
  readonly chatting: number;
  readonly queued: number;
  /** Who is left waiting, per bucket; the check below proves no two of them could pair. */
  readonly queuedByBucket: Readonly<Record<string, number>>;
}

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
  readonly violations: readonly string[];

  constructor(scenario: string, violations: readonly string[], total: number) {
    const listed = violations.map((v) => `  - ${v}`).join('\n');
    const more = total > violations.length ? `\n  … and ${total - violations.length} more` : '';
    super(`${scenario}: ${total} correctness violation(s)\n${listed}${more}`);
    this.violations = violations;
  }
}

/** Every bucket a profile can fall in: own gender (or none) × wanted gender. */
export const ALL_BUCKETS: readonly { bucket: string; profile: Profile }[] = [...GENDERS, null]
  .flatMap((gender) => WANTS.map((wants) => ({ gender, wants })))
  .map((profile) => ({ bucket: bucketOf(profile), profile }));

const READ_CONCURRENCY = 256;
const LISTED_VIOLATIONS = 20;

/**
 * Reads back the state of every user of a scenario run and checks what matchmaking promises:
 *   - every `matched` answer is mutual: both users are chatting and each names the other;
 *   - nobody is paired twice, and every pair accepts each other's filters;
 *   - everyone else is queued, in exactly one queue, the one of their own bucket, and nobody
 *     in a queue is chatting;
 *   - nobody who is left waiting could have been paired with anybody else left waiting
 *     (the match-or-enqueue step is atomic, so a compatible pair can never both be queued);
 *   - the counts add up: 2 × pairs + queued = users.
 * Throws an InvariantError listing the violations; returns the census when there are none.
 */
export async function checkIntegrity(
  redis: BenchRedis,
  scenario: string,
  users: readonly BenchUser[],
  matches: readonly MatchEvent[],
): Promise<Census> {
  const violations: string[] = [];
  let total = 0;
  const violate = (message: string): void => {
    total += 1;
    if (violations.length < LISTED_VIOLATIONS) violations.push(message);
  };

  const byChat = new Map(users.map((u) => [u.chatId, u]));
  const partnerOf = new Map<number, number>();
  for (const { seeker, partner } of matches) {
    for (const [me, other] of [
      [seeker, partner],
      [partner, seeker],
    ] as const) {
      if (!byChat.has(me)) violate(`pair ${seeker}–${partner} names unknown user ${me}`);
      const earlier = partnerOf.get(me);
      if (earlier !== undefined) violate(`${me} was paired twice: with ${earlier} and ${other}`);
      partnerOf.set(me, other);
    }
    if (seeker === partner) violate(`${seeker} was paired with themselves`);
    const a = byChat.get(seeker);
    const b = byChat.get(partner);
    if (a && b && !accepts(a.profile, b.profile)) {
      violate(`${seeker} (${a.bucket}) and ${partner} (${b.bucket}) do not accept each other`);
    }
  }

  const states = await runBounded(users.length, READ_CONCURRENCY, (i) =>
    redis.storeFor(i).getUser(users[i]!.chatId),
  );
  const stateOf = new Map<number, UserState>();
  users.forEach((user, i) => stateOf.set(user.chatId, states.results[i]!));

  let chatting = 0;
  let queued = 0;
  for (const user of users) {
    const state = stateOf.get(user.chatId)!;
    const expected = partnerOf.get(user.chatId);
    if (expected !== undefined) {
      if (state.status !== 'chatting' || state.partner !== expected) {
        violate(
          `${user.chatId} should be chatting with ${expected}, is ${state.status} (partner ${state.partner})`,
        );
      }
    } else if (state.status !== 'queued' || state.partner !== null) {
      violate(`${user.chatId} was never matched, so should be queued, is ${state.status}`);
    }
    if (state.status === 'chatting') chatting += 1;
    if (state.status === 'queued') queued += 1;
  }

  // The queues themselves (q:<bucket> under the prefix, see the store's key layout): a user's
  // status and queue membership are written by the same script and must agree.
  const queuedByBucket: Record<string, number> = {};
  const inQueue = new Set<number>();
  for (const { bucket } of ALL_BUCKETS) {
    const members = (await redis.admin.zrange(`${redis.prefix}q:${bucket}`, 0, -1)).map(Number);
    if (members.length > 0) queuedByBucket[bucket] = members.length;
    for (const chatId of members) {
      const user = byChat.get(chatId);
      const state = stateOf.get(chatId);
      if (!user || !state) {
        violate(`unknown user ${chatId} waits in ${bucket}`);
        continue;
      }
      if (inQueue.has(chatId)) violate(`${chatId} waits in more than one queue`);
      inQueue.add(chatId);
      if (user.bucket !== bucket) violate(`${chatId} (${user.bucket}) waits in ${bucket}`);
      if (state.status !== 'queued') violate(`${chatId} waits in ${bucket} while ${state.status}`);
    }
  }
  for (const user of users) {
    if (stateOf.get(user.chatId)!.status === 'queued' && !inQueue.has(user.chatId)) {
      violate(`${user.chatId} is queued but in no queue`);
    }
  }

  const waiting = ALL_BUCKETS.filter(({ bucket }) => (queuedByBucket[bucket] ?? 0) > 0);
  for (const [i, a] of waiting.entries()) {
    for (const b of waiting.slice(i)) {
      const enough = a === b ? (queuedByBucket[a.bucket] ?? 0) >= 2 : true;
      if (enough && accepts(a.profile, b.profile)) {
        violate(`users wait in ${a.bucket} and ${b.bucket} although they accept each other`);
      }
    }
  }

  const pairs = matches.length;
  if (pairs * 2 + queued !== users.length) {
    violate(`2 × ${pairs} pairs + ${queued} queued ≠ ${users.length} users`);
  }
  if (chatting !== pairs * 2) violate(`${chatting} users chatting for ${pairs} pairs`);

  if (total > 0) throw new InvariantError(scenario, violations, total);
  return { users: users.length, pairs, chatting, queued, queuedByBucket };
}
