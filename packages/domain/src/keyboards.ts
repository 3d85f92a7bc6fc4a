import { t } from './i18n/catalogue.js';
import type { Language } from './profile.js';

/** The reply keyboards the bot shows, by the user's state, in the user's language. */
export const KEYBOARD_NAMES = ['main', 'searching', 'chat'] as const;
export type KeyboardName = (typeof KEYBOARD_NAMES)[number];

export interface ReplyKeyboard {
  readonly keyboard: readonly (readonly { readonly text: string }[])[];
  readonly resize_keyboard: true;
  readonly is_persistent: true;
}

export function keyboard(name: KeyboardName, lang: Language): ReplyKeyboard {
  const b = (key: Parameters<typeof t>[1]) => ({ text: t(lang, key) });
  const rows = {
    main: [[b('button.find')], [b('button.settings'), b('button.help')]],
    searching: [[b('button.cancel')]],
    chat: [[b('button.next'), b('button.stop')], [b('button.report')]],
  }[name];
  return { keyboard: rows, resize_keyboard: true, is_persistent: true };
}

export function isKeyboardName(value: unknown): value is KeyboardName {
  return typeof value === 'string' && (KEYBOARD_NAMES as readonly string[]).includes(value);
}
