import { bucketOf, compatibleBuckets, type Profile } from '@hamdam/domain';
import type { StoredProfile } from '@hamdam/store';

/** One simulated Telegram user: the chat id the store keys on and the profile they chose. */
export interface BenchUser {
  readonly chatId: number;
  readonly uid: number;
  readonly profile: Profile;
  readonly bucket: string;
}

export interface ProfileShare {
  readonly profile: Profile;
  readonly share: number;
}

/**
 * The population of the queue-fill scenario: 45% men, 45% women, 10% without a gender; of
 * those with one, 40% want the opposite gender, 10% their own and 50% anyone. "Opposite" means
 * nothing without a gender, so that 10% splits its half of specific wishes evenly between m
 * and f.
 */
export const REALISTIC_MIX: readonly ProfileShare[] = [
  { profile: { gender: 'm', wants: 'f' }, share: 0.45 * 0.4 },
  { profile: { gender: 'm', wants: 'm' }, share: 0.45 * 0.1 },
  { profile: { gender: 'm', wants: 'any' }, share: 0.45 * 0.5 },
  { profile: { gender: 'f', wants: 'm' }, share: 0.45 * 0.4 },
  { profile: { gender: 'f', wants: 'f' }, share: 0.45 * 0.1 },
  { profile: { gender: 'f', wants: 'any' }, share: 0.45 * 0.5 },
  { profile: { gender: null, wants: 'm' }, share: 0.1 * 0.25 },
  { profile: { gender: null, wants: 'f' }, share: 0.1 * 0.25 },
  { profile: { gender: null, wants: 'any' }, share: 0.1 * 0.5 },
];

/**
 * The standing queue of the arrival and queue-size scenarios: people who want men and are
 * mutually incompatible, so none of them can pair off while the queue is being built. Mostly
 * women, the common surplus of such bots, plus gender-less users who want men.
 */
export const WAITING_MIX: readonly ProfileShare[] = [
  { profile: { gender: 'f', wants: 'm' }, share: 0.9 },
  { profile: { gender: null, wants: 'm' }, share: 0.1 },
];

/**
 * Men arriving against that queue: half want women (one candidate bucket), half want anyone
 * (six candidate buckets), so both the short and the long candidate walk are measured.
 */
export const ARRIVAL_MIX: readonly ProfileShare[] = [
  { profile: { gender: 'm', wants: 'f' }, share: 0.5 },
  { profile: { gender: 'm', wants: 'any' }, share: 0.5 },
];

/**
 * Hands out chat ids that are unique for the whole process, so no two simulated users ever
 * share store state and the recent-partner rule never applies between scenarios.
 */
export class IdSource {
  #next: number;

  constructor(first = 1_000_000_000) {
    this.#next = first;
  }

  take(): number {
    return this.#next++;
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same arrival order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Exactly `count` users in the proportions of `mix` (largest remainder, so the counts do not
 * drift with rounding), in an order shuffled by `seed`.
 */
export function population(
  count: number,
  mix: readonly ProfileShare[],
  ids: IdSource,
  seed: number,
): BenchUser[] {
  const profiles = apportion(count, mix);
  const random = seededRandom(seed);
  for (let i = profiles.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = profiles[i]!;
    profiles[i] = profiles[j]!;
    profiles[j] = swap;
  }
  return profiles.map((profile) => {
    const chatId = ids.take();
    return { chatId, uid: chatId, profile, bucket: bucketOf(profile) };
  });
}

/** What the bot stores at /start for this user; `find` reads it instead of its fallback. */
export function storedProfileOf(user: BenchUser): StoredProfile {
  return { uid: user.uid, bucket: user.bucket, candidates: compatibleBuckets(user.profile) };
}

function apportion(count: number, mix: readonly ProfileShare[]): Profile[] {
  const total = mix.reduce((sum, m) => sum + m.share, 0);
  const exact = mix.map((m) => (count * m.share) / total);
  const counts = exact.map(Math.floor);
  let missing = count - counts.reduce((sum, c) => sum + c, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder);
  for (const { index } of byRemainder) {
    if (missing <= 0) break;
    counts[index]! += 1;
    missing -= 1;
  }
  const out: Profile[] = [];
  mix.forEach((m, index) => {
    for (let i = 0; i < counts[index]!; i++) out.push(m.profile);
  });
  return out;
}
