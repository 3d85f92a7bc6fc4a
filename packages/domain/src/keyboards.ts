import { BUTTONS } from './texts.js';

/** The reply keyboards the bot shows: plain JSON in the Bot API's ReplyKeyboardMarkup shape. */
export const MAIN_KEYBOARD = {
  keyboard: [[{ text: BUTTONS.find }], [{ text: BUTTONS.settings }, { text: BUTTONS.help }]],
  resize_keyboard: true,
  is_persistent: true,
} as const;

export const SEARCHING_KEYBOARD = {
  keyboard: [[{ text: BUTTONS.cancel }]],
  resize_keyboard: true,
  is_persistent: true,
} as const;

export const CHAT_KEYBOARD = {
  keyboard: [[{ text: BUTTONS.next }, { text: BUTTONS.stop }]],
  resize_keyboard: true,
  is_persistent: true,
} as const;
