import type { Gender, Profile, Wants } from './profile.js';

/** Callback data of the settings buttons: short, fixed, and checked on the way back in. */
export const SETTINGS_CALLBACKS = {
  'p:g:m': { gender: 'm' },
  'p:g:f': { gender: 'f' },
  'p:w:m': { wants: 'm' },
  'p:w:f': { wants: 'f' },
  'p:w:any': { wants: 'any' },
} as const satisfies Record<string, { gender?: Gender; wants?: Wants }>;

export type ProfilePatch = { readonly gender?: Gender; readonly wants?: Wants };

/** The profile change a settings button asks for, or null for data we did not send. */
export function parseSettingsCallback(data: string): ProfilePatch | null {
  return Object.hasOwn(SETTINGS_CALLBACKS, data)
    ? SETTINGS_CALLBACKS[data as keyof typeof SETTINGS_CALLBACKS]
    : null;
}

const GENDER_NAMES = { m: 'a man', f: 'a woman' } as const;
const WANTS_NAMES = { m: 'men', f: 'women', any: 'anyone' } as const;

/** The settings message: what the profile says now, and buttons to change it. */
export function settingsView(profile: Profile): {
  text: string;
  reply_markup: { inline_keyboard: { text: string; callback_data: string }[][] };
} {
  const mark = (on: boolean, label: string) => (on ? `• ${label} •` : label);
  return {
    text:
      '⚙️ Settings\n\n' +
      `You are: ${profile.gender ? GENDER_NAMES[profile.gender] : 'not set'}\n` +
      `You want to meet: ${WANTS_NAMES[profile.wants]}\n\n` +
      'Only matchmaking uses this; your partner never sees it.',
    reply_markup: {
      inline_keyboard: [
        [
          { text: mark(profile.gender === 'm', 'I am a man'), callback_data: 'p:g:m' },
          { text: mark(profile.gender === 'f', 'I am a woman'), callback_data: 'p:g:f' },
        ],
        [
          { text: mark(profile.wants === 'm', 'Meet men'), callback_data: 'p:w:m' },
          { text: mark(profile.wants === 'f', 'Meet women'), callback_data: 'p:w:f' },
          { text: mark(profile.wants === 'any', 'Meet anyone'), callback_data: 'p:w:any' },
        ],
      ],
    },
  };
}
