import {
  AGE,
  ADULT_AGE,
  isGender,
  isLanguage,
  isWants,
  type Gender,
  type Language,
  type Wants,
} from './profile.js';

/**
 * Callback data of the bot's inline buttons: short (Telegram allows 1-64 bytes), made only by
 * the bot, and parsed strictly on the way back in: data the bot never sent changes nothing.
 * It never carries another user's id: a client can read its own buttons' data.
 */
export type ProfileChange =
  | { readonly field: 'lang'; readonly value: Language }
  | { readonly field: 'gender'; readonly value: Gender }
  | { readonly field: 'wants'; readonly value: Wants }
  | { readonly field: 'range'; readonly value: { readonly min: number; readonly max: number } }
  | { readonly field: 'sameLanguage'; readonly value: boolean }
  | { readonly field: 'protect'; readonly value: boolean };

export const REPORT_REASONS = ['spam', 'abuse', 'sexual', 'minor', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export type Callback =
  /** A profile answer during onboarding (`o:`) or a change under Settings (`s:`). */
  | { readonly kind: 'profile'; readonly onboarding: boolean; readonly change: ProfileChange }
  /** Settings: "change age" (the next text is the new age). */
  | { readonly kind: 'ask-age' }
  /**
   * A report's reason, for the chat the question was asked about: `chat` is that chat's
   * sequence number, so a reason pressed later reports that chat's partner or nobody.
   */
  | { readonly kind: 'report'; readonly reason: ReportReason; readonly chat: number }
  /** /delete's confirmation: erase the user's profile and chat records. */
  | { readonly kind: 'erase' };

/** The partner age ranges a user can pick: unions of whole bands, for adults. */
export const ADULT_RANGES = [
  { min: ADULT_AGE, max: AGE.max },
  { min: 18, max: 24 },
  { min: 18, max: 34 },
  { min: 25, max: 34 },
  { min: 25, max: 44 },
  { min: 35, max: AGE.max },
  { min: 45, max: AGE.max },
] as const;

const encodeChange = (change: ProfileChange): string => {
  switch (change.field) {
    case 'lang':
      return `l:${change.value}`;
    case 'gender':
      return `g:${change.value}`;
    case 'wants':
      return `w:${change.value}`;
    case 'range':
      return `r:${change.value.min}-${change.value.max}`;
    case 'sameLanguage':
      return `x:${change.value ? 'same' : 'any'}`;
    case 'protect':
      return `p:${change.value ? 1 : 0}`;
  }
};

export function callbackData(callback: Callback): string {
  switch (callback.kind) {
    case 'profile':
      return `${callback.onboarding ? 'o' : 's'}:${encodeChange(callback.change)}`;
    case 'ask-age':
      return 's:a';
    case 'report':
      return `r:${callback.reason}:${callback.chat}`;
    case 'erase':
      return 'd:yes';
  }
}

/**
 * The shape of each kind's data, for routing a press (telegraf's `action`); parseCallback
 * reads the data strictly, so a press of the right shape can still be refused.
 */
export const CALLBACK_PATTERNS = {
  'ask-age': /^s:a$/,
  erase: /^d:yes$/,
  report: /^r:([a-z]+):(\d{1,15})$/,
  profile: /^([os]):([lgwrxp]):([a-z0-9-]+)$/,
} as const satisfies Record<Callback['kind'], RegExp>;

/** The callback a button's data stands for, or null for data the bot never sent. */
export function parseCallback(data: string): Callback | null {
  if (CALLBACK_PATTERNS['ask-age'].test(data)) return { kind: 'ask-age' };
  if (CALLBACK_PATTERNS.erase.test(data)) return { kind: 'erase' };
  const report = CALLBACK_PATTERNS.report.exec(data);
  if (report) {
    const reason = report[1]!;
    return (REPORT_REASONS as readonly string[]).includes(reason)
      ? { kind: 'report', reason: reason as ReportReason, chat: Number(report[2]) }
      : null;
  }
  const m = CALLBACK_PATTERNS.profile.exec(data);
  if (!m) return null;
  const change = parseChange(m[2]!, m[3]!);
  return change && { kind: 'profile', onboarding: m[1] === 'o', change };
}

function parseChange(field: string, value: string): ProfileChange | null {
  switch (field) {
    case 'l':
      return isLanguage(value) ? { field: 'lang', value } : null;
    case 'g':
      return isGender(value) ? { field: 'gender', value } : null;
    case 'w':
      return isWants(value) ? { field: 'wants', value } : null;
    case 'x':
      return value === 'same' || value === 'any'
        ? { field: 'sameLanguage', value: value === 'same' }
        : null;
    case 'p':
      return value === '1' || value === '0' ? { field: 'protect', value: value === '1' } : null;
    case 'r': {
      const range = ADULT_RANGES.find((r) => `${r.min}-${r.max}` === value);
      return range ? { field: 'range', value: { min: range.min, max: range.max } } : null;
    }
    default:
      return null;
  }
}
