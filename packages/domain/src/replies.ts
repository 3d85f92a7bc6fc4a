import { callbackData, REPORT_REASONS } from './callbacks.js';
import { t, type TextKey } from './i18n/catalogue.js';
import { isKeyboardName, keyboard, type KeyboardName } from './keyboards.js';
import type { Outgoing } from './outgoing.js';
import { GENDERS, LANGUAGES, type Language } from './profile.js';

type Markup = KeyboardName | 'none' | 'language' | 'gender' | 'reasons' | 'erase';

interface ReplySpec {
  readonly text: TextKey;
  /** The reply keyboard it shows (`kb` in the reference overrides it), an inline keyboard, or none. */
  readonly markup: Markup;
  /** Said as the answer to a button press (`q` = callback query id), not as a message. */
  readonly answer?: boolean;
}

/**
 * The catalogue of what the bot says on its own, by name. The store's scripts queue a
 * reference (`@matched`, `@help?kb=chat`), never wording, and the dispatcher renders it in
 * the recipient's language when it sends: queued state stays small, wording can change
 * without touching what is owed, and a user who switches language is answered in the new one.
 */
export const REPLIES = {
  welcome: { text: 'welcome', markup: 'main' },
  help: { text: 'help', markup: 'main' },
  askLanguage: { text: 'onboarding.language', markup: 'language' },
  askGender: { text: 'onboarding.gender', markup: 'gender' },
  askAge: { text: 'onboarding.age', markup: 'none' },
  ageInvalid: { text: 'onboarding.ageInvalid', markup: 'none' },
  profileDone: { text: 'onboarding.done', markup: 'main' },
  searching: { text: 'searching', markup: 'searching' },
  alreadySearching: { text: 'alreadySearching', markup: 'searching' },
  matched: { text: 'matched', markup: 'chat' },
  alreadyChatting: { text: 'alreadyChatting', markup: 'chat' },
  youEnded: { text: 'youEnded', markup: 'main' },
  partnerEnded: { text: 'partnerEnded', markup: 'main' },
  partnerLeft: { text: 'partnerLeft', markup: 'main' },
  searchCancelled: { text: 'searchCancelled', markup: 'main' },
  notChatting: { text: 'notChatting', markup: 'main' },
  notDelivered: { text: 'notDelivered', markup: 'none' },
  unknownCommand: { text: 'unknownCommand', markup: 'main' },
  contactRefused: { text: 'contactRefused', markup: 'none' },
  slowDown: { text: 'slowDown', markup: 'none' },
  partnerBehind: { text: 'partnerBehind', markup: 'none' },
  queueExpired: { text: 'queueExpired', markup: 'main' },
  idleEnded: { text: 'idleEnded', markup: 'main' },
  reportAsk: { text: 'report.ask', markup: 'reasons' },
  reportThanks: { text: 'report.thanks', markup: 'none' },
  reportNothing: { text: 'report.nothing', markup: 'none' },
  blockDone: { text: 'block.done', markup: 'main' },
  blockNothing: { text: 'block.nothing', markup: 'none' },
  eraseAsk: { text: 'erase.ask', markup: 'erase' },
  erased: { text: 'erase.done', markup: 'main' },
  banned: { text: 'banned', markup: 'none' },
  bannedForever: { text: 'bannedForever', markup: 'none' },
  bannedByAdmin: { text: 'bannedByAdmin', markup: 'none' },
  bannedForeverByAdmin: { text: 'bannedForeverByAdmin', markup: 'none' },
  unbanned: { text: 'unbanned', markup: 'main' },
  tryAgainShortly: { text: 'tryAgainShortly', markup: 'none' },
  ageAsk: { text: 'settings.ageAsk', markup: 'none' },
  ageSaved: { text: 'settings.saved', markup: 'main' },
  settingsSaved: { text: 'settings.saved', markup: 'none', answer: true },
  finishChatFirst: { text: 'settings.finishChatFirst', markup: 'none', answer: true },
  unknownButton: { text: 'unknownButton', markup: 'none', answer: true },
  /** A button pressed over the flood budget: answered, so the client stops waiting. */
  floodAnswer: { text: 'floodAnswer', markup: 'none', answer: true },
  /** A button pressed by a banned user: answered; the ban's notice says the rest. */
  bannedAnswer: { text: 'bannedForever', markup: 'none', answer: true },
  helpAdmin: { text: 'helpAdmin', markup: 'none' },
  stats: { text: 'admin.stats', markup: 'none' },
  adminUsage: { text: 'admin.usage', markup: 'none' },
  adminBannedUntil: { text: 'admin.bannedUntil', markup: 'none' },
  adminBannedForever: { text: 'admin.bannedForever', markup: 'none' },
  adminUnbanned: { text: 'admin.unbanned', markup: 'none' },
  broadcastStarted: { text: 'admin.broadcastStarted', markup: 'none' },
  broadcastProgress: { text: 'admin.broadcastProgress', markup: 'none' },
  broadcastDone: { text: 'admin.broadcastDone', markup: 'none' },
  broadcastBusy: { text: 'admin.broadcastBusy', markup: 'none' },
  broadcastCancelled: { text: 'admin.broadcastCancelled', markup: 'none' },
  broadcastNotRunning: { text: 'admin.broadcastNotRunning', markup: 'none' },
  broadcastEmpty: { text: 'admin.broadcastEmpty', markup: 'none' },
} as const satisfies Record<string, ReplySpec>;

export type ReplyName = keyof typeof REPLIES;
/**
 * How a reply travels through the outbox: `@name`, optionally with `?key=value&…` arguments.
 * `e=<message id>` says it by editing that message of the bot's in place, where it can be.
 */
export type ReplyRef = `@${ReplyName}` | `@${ReplyName}?${string}`;

export function replyRef(
  name: ReplyName,
  args: Readonly<Record<string, string | number>> = {},
): ReplyRef {
  const query = new URLSearchParams(
    Object.entries(args).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  return query === '' ? `@${name}` : `@${name}?${query}`;
}

/** The reply and its arguments a reference stands for, or null when it is not in the catalogue. */
export function parseReplyRef(
  ref: string,
): { readonly name: ReplyName; readonly args: URLSearchParams } | null {
  if (!ref.startsWith('@')) return null;
  const [name = '', query = ''] = ref.slice(1).split('?', 2);
  if (!Object.hasOwn(REPLIES, name)) return null;
  return { name: name as ReplyName, args: new URLSearchParams(query) };
}

/**
 * The same reply sent as a new message, for one that was to be said in place (`e`) when the
 * edit was refused (the message deleted, say); null when it was not said in place.
 */
export function sentAnew(ref: string): ReplyRef | null {
  const parsed = parseReplyRef(ref);
  if (!parsed?.args.has('e')) return null;
  parsed.args.delete('e');
  return replyRef(parsed.name, Object.fromEntries(parsed.args));
}

/** The Bot API call that says a reply in a language; null for a reference not in the catalogue. */
export function renderReply(ref: string, lang: Language): Outgoing | null {
  const parsed = parseReplyRef(ref);
  if (!parsed) return null;
  const spec: ReplySpec = REPLIES[parsed.name];
  const values: Record<string, string> = Object.fromEntries(parsed.args);
  // A time travels as epoch ms and is shown in UTC, the same for every reader.
  if (/^\d{10,15}$/.test(values['until'] ?? '')) {
    values['until'] = new Date(Number(values['until']))
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
  }
  const text = t(lang, spec.text, values);
  if (spec.answer) {
    return {
      method: 'answerCallbackQuery',
      params: { callback_query_id: parsed.args.get('q') ?? '', text },
    };
  }
  const kb = parsed.args.get('kb');
  const markup = isKeyboardName(kb) ? kb : spec.markup;
  const reply_markup = markupOf(markup, lang, parsed.args);
  // Said in place (`e`: the id of the bot's message it replaces), when what it shows fits an
  // edited message: an inline keyboard or none (none takes the old message's buttons away).
  const inPlace = Number(parsed.args.get('e'));
  if (Number.isSafeInteger(inPlace) && inPlace > 0 && !isKeyboardName(markup)) {
    return {
      method: 'editMessageText',
      params: { message_id: inPlace, text, reply_markup: reply_markup ?? { inline_keyboard: [] } },
    };
  }
  return { method: 'sendMessage', params: reply_markup ? { text, reply_markup } : { text } };
}

function markupOf(markup: Markup, lang: Language, args: URLSearchParams): object | null {
  switch (markup) {
    case 'none':
      return null;
    case 'language': {
      // The language Telegram suggested is marked, so one tap confirms it.
      const current = args.get('lang');
      const label = (l: Language) =>
        l === current ? `• ${t(l, `value.lang.${l}`)} •` : t(l, `value.lang.${l}`);
      return {
        inline_keyboard: [
          LANGUAGES.map((l) => ({
            text: label(l),
            callback_data: callbackData({
              kind: 'profile',
              onboarding: true,
              change: { field: 'lang', value: l },
            }),
          })),
        ],
      };
    }
    case 'gender':
      return {
        inline_keyboard: [
          GENDERS.map((g) => ({
            text: t(lang, `button.gender.${g}`),
            callback_data: callbackData({
              kind: 'profile',
              onboarding: true,
              change: { field: 'gender', value: g },
            }),
          })),
        ],
      };
    case 'reasons': {
      // The chat the question is about (`c`); a reference without one offers buttons that
      // report nobody.
      const chat = Number(args.get('c') ?? 0) || 0;
      return {
        inline_keyboard: REPORT_REASONS.map((reason) => [
          {
            text: t(lang, `report.reason.${reason}`),
            callback_data: callbackData({ kind: 'report', reason, chat }),
          },
        ]),
      };
    }
    case 'erase':
      return {
        inline_keyboard: [
          [{ text: t(lang, 'erase.confirm'), callback_data: callbackData({ kind: 'erase' }) }],
        ],
      };
    default:
      return keyboard(markup, lang);
  }
}
