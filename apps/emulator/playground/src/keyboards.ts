import type { BotCommand, ReplyKeyboardMarkup } from '@hamdam/telegram';
import type { ChatItem } from './control.js';
import { button, el } from './dom.js';

/**
 * The reply keyboard the chat shows: the one the bot sent last, until it sends another or
 * removes it. Telegram keeps it beside the message, not on it.
 */
export function currentKeyboard(
  sorted: readonly ChatItem[],
): { readonly markup: ReplyKeyboardMarkup; readonly from: number } | undefined {
  let current: { markup: ReplyKeyboardMarkup; from: number } | undefined;
  for (const item of sorted) {
    const markup = item.fromBot && !item.deleted ? item.replyMarkup : undefined;
    if (markup === undefined || 'inline_keyboard' in markup) continue;
    current = 'keyboard' in markup ? { markup, from: item.message.message_id } : undefined;
  }
  return current;
}

/** The keyboard's rows; a key sends its text, as in Telegram. */
export function keyboardRows(
  markup: ReplyKeyboardMarkup,
  press: (text: string) => void,
): HTMLElement[] {
  return markup.keyboard.map((keys) => {
    const row = el('div', 'r');
    for (const key of keys) {
      const text = typeof key === 'string' ? key : key.text;
      row.append(button(text, () => press(text)));
    }
    return row;
  });
}

/** The "/" menu: the commands the bot set for this person; choosing one sends it. */
export function commandList(
  commands: readonly BotCommand[],
  send: (text: string) => void,
): HTMLElement {
  const list = el('div', 'command-list');
  if (commands.length === 0) list.append(el('span', 'muted', 'No commands'));
  for (const { command, description } of commands) {
    const item = button('', () => send(`/${command}`), 'command');
    item.append(el('b', '', `/${command}`), el('span', '', description, { dir: 'auto' }));
    list.append(item);
  }
  return list;
}
