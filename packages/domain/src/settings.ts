import { ADULT_RANGES, callbackData, type Callback, type ProfileChange } from './callbacks.js';
import { t } from './i18n/catalogue.js';
import { ADULT_AGE, AGE, GENDERS, LANGUAGES, WANTS, type Profile } from './profile.js';

interface Button {
  readonly text: string;
  readonly callback_data: string;
}

/** The settings message: the profile as it is now, and buttons to change each part of it. */
export function settingsView(profile: Profile): {
  text: string;
  reply_markup: { inline_keyboard: Button[][] };
} {
  const { lang } = profile;
  const mark = (on: boolean, label: string) => (on ? `• ${label} •` : label);
  const button = (label: string, on: boolean, callback: Callback): Button => ({
    text: mark(on, label),
    callback_data: callbackData(callback),
  });
  const change = (c: ProfileChange): Callback => ({
    kind: 'profile',
    onboarding: false,
    change: c,
  });
  const rows: Button[][] = [
    LANGUAGES.map((l) =>
      button(t(l, `value.lang.${l}`), profile.lang === l, change({ field: 'lang', value: l })),
    ),
    GENDERS.map((g) =>
      button(
        t(lang, `button.gender.${g}`),
        profile.gender === g,
        change({ field: 'gender', value: g }),
      ),
    ),
    WANTS.map((w) =>
      button(
        t(lang, `button.wants.${w}`),
        profile.wants === w,
        change({ field: 'wants', value: w }),
      ),
    ),
  ];
  if (profile.age >= ADULT_AGE) {
    const ranges = ADULT_RANGES.map((r) =>
      button(
        rangeText(lang, r.min, r.max),
        profile.ageMin === r.min && profile.ageMax === r.max,
        change({ field: 'range', value: { min: r.min, max: r.max } }),
      ),
    );
    rows.push(ranges.slice(0, 4), ranges.slice(4));
  }
  rows.push(
    [
      button(
        t(lang, 'settings.button.sameLanguage'),
        profile.sameLanguage,
        change({ field: 'sameLanguage', value: true }),
      ),
      button(
        t(lang, 'settings.button.anyLanguage'),
        !profile.sameLanguage,
        change({ field: 'sameLanguage', value: false }),
      ),
    ],
    [
      button(
        t(lang, profile.protect ? 'settings.button.protectOff' : 'settings.button.protectOn'),
        false,
        change({ field: 'protect', value: !profile.protect }),
      ),
      button(t(lang, 'settings.changeAge'), false, { kind: 'ask-age' }),
    ],
  );
  const body = t(lang, 'settings.body', {
    lang: t(lang, `value.lang.${lang}`),
    gender: t(lang, `value.gender.${profile.gender}`),
    age: profile.age,
    wants: t(lang, `value.wants.${profile.wants}`),
    range: rangeText(lang, profile.ageMin, profile.ageMax),
    xlang: t(lang, profile.sameLanguage ? 'value.xlang.same' : 'value.xlang.any'),
    protect: t(lang, profile.protect ? 'value.on' : 'value.off'),
  });
  const minors = profile.age < ADULT_AGE ? `\n${t(lang, 'settings.minorsFixed')}` : '';
  return {
    text: `${t(lang, 'settings.title')}\n\n${body}${minors}`,
    reply_markup: { inline_keyboard: rows },
  };
}

function rangeText(lang: Profile['lang'], min: number, max: number): string {
  return max >= AGE.max
    ? t(lang, 'value.rangeOpen', { min })
    : t(lang, 'value.range', { min, max });
}
