import { ADMIN_COMMANDS, type AdminCommand, type UserCommand } from './commands.js';
import { t, type TextKey } from './i18n/catalogue.js';
import { LANGUAGES, type Language } from './profile.js';

/**
 * The commands Telegram clients list in their menu, in the order shown. Aliases (/search,
 * /cancel) and /start (the client's own Start button) stay out: one entry per action.
 */
export const MENU_COMMANDS = [
  'find',
  'next',
  'stop',
  'report',
  'block',
  'settings',
  'delete',
  'help',
] as const satisfies readonly UserCommand[];

/** Telegram's BotCommand, as setMyCommands takes it. */
export interface MenuEntry {
  readonly command: string;
  readonly description: string;
}

/** One list to register: for everyone or for the admins' own chats, in one language. */
export interface CommandMenu {
  readonly audience: 'everyone' | 'admins';
  /** Telegram's language_code: `''` is the list for any language without its own. */
  readonly languageCode: '' | Language;
  readonly commands: readonly MenuEntry[];
}

/** The language a user whose client names no list of its own sees. */
const FALLBACK: Language = 'en';

/**
 * Every list the bot registers: English for any language, one list per other language, and
 * the same pairs for admins with their commands added (shown only in each admin's chat).
 */
export function commandMenus(): CommandMenu[] {
  const languages: ('' | Language)[] = ['', ...LANGUAGES.filter((l) => l !== FALLBACK)];
  return (['everyone', 'admins'] as const).flatMap((audience) =>
    languages.map((languageCode) => {
      const lang = languageCode === '' ? FALLBACK : languageCode;
      const names: readonly (UserCommand | AdminCommand)[] =
        audience === 'admins' ? [...MENU_COMMANDS, ...ADMIN_COMMANDS] : MENU_COMMANDS;
      const commands = names.map((command) => ({
        command,
        description: t(lang, `menu.${command}` as TextKey),
      }));
      return { audience, languageCode, commands };
    }),
  );
}
