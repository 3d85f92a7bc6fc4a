import type {
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  ReplyKeyboardMarkup,
  ReplyMarkup,
} from '@hamdam/telegram';
import { badRequest } from './api-error.js';
import type { Params } from './params.js';

const MAX_BUTTONS = 100;
const MAX_CALLBACK_DATA_BYTES = 64;
const PARSE_ERROR = (): ReturnType<typeof badRequest> =>
  badRequest("can't parse reply keyboard markup JSON object");

/** Reads and validates `reply_markup`, normalising it the way Telegram stores it. */
export function readReplyMarkup(params: Params): ReplyMarkup | undefined {
  const value = params.optionalJson('reply_markup', PARSE_ERROR);
  if (value === undefined) return undefined;
  return parseReplyMarkup(value);
}

export function parseReplyMarkup(value: unknown): ReplyMarkup {
  if (!isRecord(value)) throw PARSE_ERROR();
  if ('inline_keyboard' in value) return parseInlineKeyboard(value);
  if ('keyboard' in value) return parseReplyKeyboard(value);
  if (value['remove_keyboard'] === true) {
    return optionalBoolean(value, 'selective', { remove_keyboard: true });
  }
  if (value['force_reply'] === true) {
    const markup = optionalBoolean(value, 'selective', { force_reply: true as const });
    const placeholder = value['input_field_placeholder'];
    return typeof placeholder === 'string'
      ? { ...markup, input_field_placeholder: placeholder }
      : markup;
  }
  throw PARSE_ERROR();
}

export function isInlineKeyboard(markup: ReplyMarkup | undefined): markup is InlineKeyboardMarkup {
  return markup !== undefined && 'inline_keyboard' in markup;
}

function parseInlineKeyboard(value: Record<string, unknown>): InlineKeyboardMarkup {
  const rows = rowsOf(value['inline_keyboard'], 'inline_keyboard', 'InlineKeyboardMarkup');
  let count = 0;
  const keyboard = rows.map((row) =>
    row.map((button): InlineKeyboardButton => {
      if (++count > MAX_BUTTONS) throw badRequest('reply markup is too long');
      return parseInlineButton(button);
    }),
  );
  return { inline_keyboard: keyboard };
}

function parseInlineButton(value: unknown): InlineKeyboardButton {
  if (!isRecord(value))
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  const text = value['text'];
  if (typeof text !== 'string')
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  if (text.trim() === '') throw badRequest('inline keyboard button text must be non-empty');
  const data = value['callback_data'];
  if (typeof data === 'string') {
    const bytes = Buffer.byteLength(data);
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
    return { text, callback_data: data };
  }
  const url = value['url'];
  if (typeof url === 'string') {
    if (!URL.canParse(url))
      throw badRequest(`inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`);
    return { text, url };
  }
  const query = value['switch_inline_query'];
  if (typeof query === 'string') return { text, switch_inline_query: query };
  const here = value['switch_inline_query_current_chat'];
  if (typeof here === 'string') return { text, switch_inline_query_current_chat: here };
  const webApp = value['web_app'];
  if (isRecord(webApp) && typeof webApp['url'] === 'string')
    return { text, web_app: { url: webApp['url'] } };
  if (value['pay'] === true) return { text, pay: true };
  throw badRequest(
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
  );
}

function parseReplyKeyboard(value: Record<string, unknown>): ReplyKeyboardMarkup {
  const rows = rowsOf(value['keyboard'], 'keyboard', 'ReplyKeyboardMarkup');
  let count = 0;
  const keyboard = rows.map((row) =>
    row.map((button): KeyboardButton => {
      if (++count > MAX_BUTTONS) throw badRequest('reply markup is too long');
      return parseKeyboardButton(button);
    }),
  );
  let markup: ReplyKeyboardMarkup = { keyboard };
  for (const key of [
    'is_persistent',
    'resize_keyboard',
    'one_time_keyboard',
    'selective',
  ] as const) {
    markup = optionalBoolean(value, key, markup);
  }
  const placeholder = value['input_field_placeholder'];
  if (typeof placeholder === 'string') markup.input_field_placeholder = placeholder;
  return markup;
}

function parseKeyboardButton(value: unknown): KeyboardButton {
  // Telegram accepts a bare string as shorthand for { text }.
  const button = typeof value === 'string' ? { text: value } : value;
  if (!isRecord(button) || typeof button['text'] !== 'string') {
    throw badRequest('can\'t parse keyboard button: Field "text" must be of type String');
  }
  if (button['text'].trim() === '') throw badRequest('keyboard button text must be non-empty');
  let parsed: KeyboardButton = { text: button['text'] };
  parsed = optionalBoolean(button, 'request_contact', parsed);
  return optionalBoolean(button, 'request_location', parsed);
}

function rowsOf(value: unknown, field: string, type: string): unknown[][] {
  if (!Array.isArray(value) || !value.every((row) => Array.isArray(row))) {
    throw badRequest(`field "${field}" of the ${type} should be an Array of Arrays`);
  }
  return value as unknown[][];
}

function optionalBoolean<T extends object, K extends string>(
  source: Record<string, unknown>,
  key: K,
  target: T,
): T {
  const flag = source[key];
  if (flag === undefined) return target;
  if (typeof flag !== 'boolean') throw badRequest(`field "${key}" must be of type Boolean`);
  return { ...target, [key]: flag };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
