import { accepts } from '@hamdam/domain';
import type { UserView } from '@hamdam/store';
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

const READ_CONCURRENCY = 256;
const LISTED_VIOLATIONS = 20;

/**
 * Reads back the state of every user of a scenario run and checks what matchmaking promises:
 *   - every `matched` answer is mutual: both users are chatting and each names the other;
 *   - nobody is paired twice, and every pair accepts each other's filters;
 *   - everyone else is queued, in exactly one queue, the one their state names, and nobody
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
      violate(`${seeker} (${a.label}) and ${partner} (${b.label}) do not accept each other`);
    }
  }

  const states = await runBounded(users.length, READ_CONCURRENCY, (i) =>
    redis.storeFor(i).profiles.view(users[i]!.chatId),
  );
  const stateOf = new Map<number, UserView>();
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
  for (const key of await queueKeys(redis)) {
    const bucket = key.slice(`${redis.prefix}q:`.length);
    const members = (await redis.admin.zrange(key, 0, -1)).map(Number);
    if (members.length > 0) queuedByBucket[bucket] = members.length;
    for (const chatId of members) {
      const state = stateOf.get(chatId);
      if (!byChat.has(chatId) || !state) {
        violate(`unknown user ${chatId} waits in ${bucket}`);
        continue;
      }
      if (inQueue.has(chatId)) violate(`${chatId} waits in more than one queue`);
      inQueue.add(chatId);
      if (state.queuedIn !== bucket)
        violate(`${chatId} waits in ${bucket}, says ${state.queuedIn}`);
      if (state.status !== 'queued') violate(`${chatId} waits in ${bucket} while ${state.status}`);
    }
  }
  for (const user of users) {
    if (stateOf.get(user.chatId)!.status === 'queued' && !inQueue.has(user.chatId)) {
      violate(`${user.chatId} is queued but in no queue`);
    }
  }

  // Nobody left waiting accepts anybody else left waiting (by kind of profile: few kinds).
  const waiting = new Map<string, BenchUser[]>();
  for (const user of users) {
    if (!inQueue.has(user.chatId)) continue;
    const key = JSON.stringify(user.profile);
    waiting.set(key, [...(waiting.get(key) ?? []), user]);
  }
  const kinds = [...waiting.values()];
  for (const [i, a] of kinds.entries()) {
    for (const b of kinds.slice(i)) {
      const enough = a === b ? a.length >= 2 : true;
      if (enough && accepts(a[0]!.profile, b[0]!.profile)) {
        violate(`${a[0]!.label} and ${b[0]!.label} both wait although they accept each other`);
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

/** Every queue key under the bench's prefix. */
async function queueKeys(redis: BenchRedis): Promise<string[]> {
  const pattern = `${redis.prefix.replace(/[*?[\]\\{}]/g, '\\$&')}q:*`;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
