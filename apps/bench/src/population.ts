import type { Gender, Profile, Wants } from '@hamdam/domain';

/** One simulated Telegram user: the chat id the store keys on and the profile they chose. */
export interface BenchUser {
  readonly chatId: number;
  readonly profile: Profile;
  /** A short name of the profile, for reports: own gender and wanted gender. */
  readonly label: string;
}

/** An adult speaking English who meets any adult of any language, but for gender filters. */
const person = (gender: Gender, wants: Wants): Profile => ({
  lang: 'en',
  gender,
  age: 30,
  wants,
  ageMin: 18,
  ageMax: 99,
  sameLanguage: false,
  protect: false,
});

export interface ProfileShare {
  readonly profile: Profile;
  readonly share: number;
}

/**
 * The population of the queue-fill scenario: half men, half women; 40% want the opposite
 * gender, 10% their own and 50% anyone.
 */
export const REALISTIC_MIX: readonly ProfileShare[] = [
  { profile: person('m', 'f'), share: 0.5 * 0.4 },
  { profile: person('m', 'm'), share: 0.5 * 0.1 },
  { profile: person('m', 'any'), share: 0.5 * 0.5 },
  { profile: person('f', 'm'), share: 0.5 * 0.4 },
  { profile: person('f', 'f'), share: 0.5 * 0.1 },
  { profile: person('f', 'any'), share: 0.5 * 0.5 },
];

/**
 * The standing queue of the arrival and queue-size scenarios: women who want men, mutually
 * incompatible, so none of them can pair off while the queue is being built (the common
 * surplus of such bots).
 */
export const WAITING_MIX: readonly ProfileShare[] = [{ profile: person('f', 'm'), share: 1 }];

/**
 * Men arriving against that queue: half want women, half want anyone (twice the candidate
 * buckets), so both the short and the long candidate walk are measured.
 */
export const ARRIVAL_MIX: readonly ProfileShare[] = [
  { profile: person('m', 'f'), share: 0.5 },
  { profile: person('m', 'any'), share: 0.5 },
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
  return profiles.map((profile) => ({
    chatId: ids.take(),
    profile,
    label: `${profile.gender}:${profile.wants}`,
  }));
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
