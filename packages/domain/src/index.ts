// Pure rules of hamdam: no I/O, no dependencies.

// Profiles and matchmaking
export {
  LANGUAGES,
  GENDERS,
  WANTS,
  AGE,
  ADULT_AGE,
  AGE_BANDS,
  isLanguage,
  isGender,
  isWants,
  languageFromCode,
  parseAge,
  bandOf,
  accepts,
} from './profile.js';
export type { Language, Gender, Wants, AgeBand, Profile } from './profile.js';

// Updates and what the bot sends
export { UPDATE_QUEUES } from './queues.js';
export type { UpdateQueue, Stamp } from './queues.js';
export { OUTGOING_METHODS, CHATLESS_METHODS, isOutgoing } from './outgoing.js';
export type { Outgoing, OutgoingMethod } from './outgoing.js';
export { USER_COMMANDS, ADMIN_COMMANDS, commandOf, parseDuration } from './commands.js';
export type { UserCommand, AdminCommand } from './commands.js';
export { MENU_COMMANDS, commandMenus } from './command-menu.js';
export type { CommandMenu, MenuEntry } from './command-menu.js';

// Buttons and settings
export {
  ADULT_RANGES,
  CALLBACK_PATTERNS,
  REPORT_REASONS,
  callbackData,
  parseCallback,
} from './callbacks.js';
export type { Callback, ProfileChange, ReportReason } from './callbacks.js';
export { settingsView } from './settings.js';

// Wording, in every language
export { CATALOGUES, t, buttonKey } from './i18n/catalogue.js';
export type { TextKey } from './i18n/catalogue.js';
export { REPLIES, replyRef, parseReplyRef, renderReply, sentAnew } from './replies.js';
export type { ReplyName, ReplyRef } from './replies.js';
export { KEYBOARD_NAMES, keyboard } from './keyboards.js';
export type { KeyboardName } from './keyboards.js';
