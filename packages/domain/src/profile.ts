/** Who a user is and whom they want to meet: the inputs of matchmaking. */
export const LANGUAGES = ['fa', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const GENDERS = ['m', 'f'] as const;
export type Gender = (typeof GENDERS)[number];

export const WANTS = ['m', 'f', 'any'] as const;
export type Wants = (typeof WANTS)[number];

/** Ages a user may give. */
export const AGE = { min: 13, max: 99 } as const;
/** Minors meet only minors and adults only adults, whatever the filters say. */
export const ADULT_AGE = 18;

/**
 * The age bands the waiting queue is split by: a range filter picks whole bands, so matching
 * reads the heads of a few queues instead of scanning one. `t` is the minors' band.
 */
export const AGE_BANDS = [
  { band: 't', min: 13, max: 17 },
  { band: 'a', min: 18, max: 24 },
  { band: 'b', min: 25, max: 34 },
  { band: 'c', min: 35, max: 44 },
  { band: 'd', min: 45, max: 99 },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['band'];

export interface Profile {
  readonly lang: Language;
  readonly gender: Gender;
  readonly age: number;
  readonly wants: Wants;
  /** The partner's age range, in whole bands (see AGE_BANDS). */
  readonly ageMin: number;
  readonly ageMax: number;
  /** Meet only people who speak the same language (the bot's language of each side). */
  readonly sameLanguage: boolean;
  /** Ask Telegram to protect what this user sends from forwarding and saving. */
  readonly protect: boolean;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function isGender(value: unknown): value is Gender {
  return typeof value === 'string' && (GENDERS as readonly string[]).includes(value);
}

export function isWants(value: unknown): value is Wants {
  return typeof value === 'string' && (WANTS as readonly string[]).includes(value);
}

/** The language to offer first, from Telegram's `language_code` (an IETF tag such as "fa-IR"). */
export function languageFromCode(code: string | null | undefined): Language {
  return code?.toLowerCase().split(/[-_]/)[0] === 'fa' ? 'fa' : 'en';
}

/**
 * An age typed by a user: digits only (Latin, Persian or Arabic-Indic), within AGE; null when
 * it is not one.
 */
export function parseAge(text: string): number | null {
  const latin = text
    .trim()
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
  if (!/^\d{1,3}$/.test(latin)) return null;
  const age = Number(latin);
  return age >= AGE.min && age <= AGE.max ? age : null;
}

/** The band an age falls in. */
export function bandOf(age: number): AgeBand {
  return (AGE_BANDS.find((b) => age >= b.min && age <= b.max) ?? AGE_BANDS[0]).band;
}

/**
 * The matchmaking rule, stated once as a predicate: do two profiles accept each other? The
 * store's scripts implement it with bucketed queues; the contract suites and the benchmark
 * check their pairings against this.
 */
export function accepts(a: Profile, b: Profile): boolean {
  const side = (x: Profile, y: Profile) =>
    (x.wants === 'any' || x.wants === y.gender) &&
    y.age >= x.ageMin &&
    y.age <= x.ageMax &&
    (!x.sameLanguage || x.lang === y.lang);
  const sameGroup = a.age < ADULT_AGE === b.age < ADULT_AGE;
  return sameGroup && side(a, b) && side(b, a);
}
