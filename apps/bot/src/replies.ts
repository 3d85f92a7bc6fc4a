import {
  CHAT_KEYBOARD,
  MAIN_KEYBOARD,
  SEARCHING_KEYBOARD,
  TEXTS,
  type Outgoing,
} from '@hamdam/domain';

const say = (text: string, keyboard: object): Outgoing => ({
  method: 'sendMessage',
  params: { text, reply_markup: keyboard },
});

/**
 * The replies the store scripts refer to by name (`@matched`…). Keeping them out of the
 * outbox entries keeps Redis small and lets wording change without touching queued state.
 */
export const REPLIES = {
  welcome: say(TEXTS.welcome, MAIN_KEYBOARD),
  help: say(TEXTS.help, MAIN_KEYBOARD),
  searching: say(TEXTS.searching, SEARCHING_KEYBOARD),
  alreadySearching: say(TEXTS.alreadySearching, SEARCHING_KEYBOARD),
  matched: say(TEXTS.matched, CHAT_KEYBOARD),
  alreadyChatting: say(TEXTS.alreadyChatting, CHAT_KEYBOARD),
  youEnded: say(TEXTS.youEnded, MAIN_KEYBOARD),
  partnerEnded: say(TEXTS.partnerEnded, MAIN_KEYBOARD),
  partnerLeft: say(TEXTS.partnerLeft, MAIN_KEYBOARD),
  searchCancelled: say(TEXTS.searchCancelled, MAIN_KEYBOARD),
  notChatting: say(TEXTS.notChatting, MAIN_KEYBOARD),
  unsupported: say(TEXTS.unsupported, CHAT_KEYBOARD),
  notDelivered: say(TEXTS.notDelivered, CHAT_KEYBOARD),
  unknownCommand: say(TEXTS.unknownCommand, MAIN_KEYBOARD),
} as const satisfies Record<string, Outgoing>;

export type ReplyName = keyof typeof REPLIES;
export const reply = (name: ReplyName): `@${ReplyName}` => `@${name}`;

export function renderReply(name: string): Outgoing | null {
  return Object.hasOwn(REPLIES, name) ? REPLIES[name as ReplyName] : null;
}
