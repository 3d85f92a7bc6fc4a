import type { Language } from '../profile.js';
import { EN, type TextKey } from './en.js';
import { FA } from './fa.js';

export type { TextKey } from './en.js';

/** Every string of the bot, by language. */
export const CATALOGUES: Readonly<Record<Language, Readonly<Record<TextKey, string>>>> = {
  en: EN,
  fa: FA,
};

/** A string in a language with its `{placeholders}` filled; a missing value stays visible. */
export function t(
  lang: Language,
  key: TextKey,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The placeholders a string uses, sorted: both languages must agree on them. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** A text a user may send back from a button, in any language: which key it is, if any. */
export function buttonKey(text: string): TextKey | null {
  for (const catalogue of Object.values(CATALOGUES)) {
    for (const [key, value] of Object.entries(catalogue)) {
      if (key.startsWith('button.') && value === text) return key as TextKey;
    }
  }
  return null;
}
