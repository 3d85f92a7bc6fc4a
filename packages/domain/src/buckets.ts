import type { Gender, Profile, Wants } from './profile.js';

/**
 * The waiting queue is split into buckets by (own gender × wanted gender), so a match looks
 * at a handful of bucket heads instead of scanning everyone who waits. A user without a
 * gender sits in the `x` row and can only meet people who accept anyone.
 */
type GenderCell = Gender | 'x';

export function bucketOf(profile: Profile): string {
  return `${profile.gender ?? 'x'}:${profile.wants}`;
}

/** Every bucket whose members and `profile` accept each other, most specific first. */
export function compatibleBuckets(profile: Profile): string[] {
  const own: GenderCell = profile.gender ?? 'x';
  const theirGenders: GenderCell[] = profile.wants === 'any' ? ['m', 'f', 'x'] : [profile.wants];
  const theirWants: Wants[] = own === 'x' ? ['any'] : [own, 'any'];
  const out: string[] = [];
  for (const g of theirGenders) for (const w of theirWants) out.push(`${g}:${w}`);
  return out;
}

/** True when two profiles accept each other; the bucket lists above are built from it. */
export function accepts(a: Profile, b: Profile): boolean {
  const aOk = a.wants === 'any' || a.wants === b.gender;
  const bOk = b.wants === 'any' || b.wants === a.gender;
  return aOk && bOk;
}
