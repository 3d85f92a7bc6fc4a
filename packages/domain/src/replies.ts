import { CHAT_KEYBOARD, MAIN_KEYBOARD, SEARCHING_KEYBOARD } from './keyboards.js';
import type { Outgoing } from './outgoing.js';
import { TEXTS } from './texts.js';

/**
 * The catalogue of what the bot says on its own, by name. The store's scripts queue a name
 * (`@matched`), never wording, and the dispatcher renders it when it sends: queued state stays
 * small and wording can change without touching what is already owed.
 */
export const REPLIES = {
  welcome: { text: 'welcome', keyboard: 'main' },
  help: { text: 'help', keyboard: 'main' },
  searching: { text: 'searching', keyboard: 'searching' },
  alreadySearching: { text: 'alreadySearching', keyboard: 'searching' },
  matched: { text: 'matched', keyboard: 'chat' },
  alreadyChatting: { text: 'alreadyChatting', keyboard: 'chat' },
  youEnded: { text: 'youEnded', keyboard: 'main' },
  partnerEnded: { text: 'partnerEnded', keyboard: 'main' },
  partnerLeft: { text: 'partnerLeft', keyboard: 'main' },
  searchCancelled: { text: 'searchCancelled', keyboard: 'main' },
  notChatting: { text: 'notChatting', keyboard: 'main' },
  unsupported: { text: 'unsupported', keyboard: 'chat' },
  notDelivered: { text: 'notDelivered', keyboard: 'chat' },
  unknownCommand: { text: 'unknownCommand', keyboard: 'main' },
} as const satisfies Record<string, { text: keyof typeof TEXTS; keyboard: KeyboardName }>;

export type ReplyName = keyof typeof REPLIES;
/** How a reply travels through the outbox: its name behind an `@`. */
export type ReplyRef = `@${ReplyName}`;

const KEYBOARDS = { main: MAIN_KEYBOARD, searching: SEARCHING_KEYBOARD, chat: CHAT_KEYBOARD };
type KeyboardName = keyof typeof KEYBOARDS;

export function replyRef(name: ReplyName): ReplyRef {
  return `@${name}`;
}

/** The reply a `@name` stands for, or null when the name is not in the catalogue. */
export function parseReplyRef(ref: string): ReplyName | null {
  const name = ref.startsWith('@') ? ref.slice(1) : '';
  return Object.hasOwn(REPLIES, name) ? (name as ReplyName) : null;
}

/** The Bot API call that says a reply. */
export function renderReply(name: ReplyName): Outgoing {
  const spec = REPLIES[name];
  return {
    method: 'sendMessage',
    params: { text: TEXTS[spec.text], reply_markup: KEYBOARDS[spec.keyboard] },
  };
}
