import { badRequest } from './api-error.js';
import {
  MAX_MESSAGE_ID,
  RawJson,
  assertNotBlocked,
  chatOf,
  checkCaption,
  checkText,
  type MethodHandler,
} from './bot-method.js';
import type { InlineKeyboardMarkup } from '@hamdam/telegram';
import { rewrite, type ChatEntry } from './chat-log.js';
import { unixNow, type EmulatorState } from './emulator-state.js';
import { readParseMode, renderFormattedText } from './formatted-text.js';
import {
  captionOf,
  isCaptioned,
  textOf,
  withCaption,
  type Envelope,
  type MessageContent,
} from './message-builder.js';
import type { Params } from './params.js';
import { isInlineKeyboard, readReplyMarkup } from './reply-markup.js';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

export const editMessageText: MethodHandler = (state, params) => {
  const text = checkText(
    renderFormattedText(params.optionalString('text') ?? '', readParseMode(params)),
  );
  const markup = readInlineMarkup(params);
  const entry = editableEntry(state, params);
  const current = textOf(entry.content);
  if (current === undefined) throw badRequest('there is no text in the message to edit');
  if (current === text && sameMarkup(entry.message.reply_markup, markup))
    throw badRequest(NOT_MODIFIED);
  return applyEdit(state, entry, { text }, markup);
};

export const editMessageCaption: MethodHandler = (state, params) => {
  // An absent or empty caption removes it, as in Telegram.
  const raw = params.optionalString('caption') ?? '';
  const caption = checkCaption(renderFormattedText(raw, readParseMode(params)));
  const markup = readInlineMarkup(params);
  const entry = editableEntry(state, params);
  const content = entry.content;
  if (!isCaptioned(content)) throw badRequest('there is no caption in the message to edit');
  if (captionOf(content) === caption && sameMarkup(entry.message.reply_markup, markup))
    throw badRequest(NOT_MODIFIED);
  return applyEdit(state, entry, withCaption(content, caption), markup);
};

export const editMessageReplyMarkup: MethodHandler = (state, params) => {
  const markup = readInlineMarkup(params);
  const entry = editableEntry(state, params);
  if (sameMarkup(entry.message.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
  return applyEdit(state, entry, entry.content, markup);
};

export const deleteMessage: MethodHandler = (state, params) => {
  const chat = chatOf(state, params);
  const messageId = params.int('message_id', 1, MAX_MESSAGE_ID);
  const entry = chat.log.find(messageId);
  if (entry === undefined) throw badRequest('message to delete not found');
  entry.deleted = true;
  state.publishSent('delete', entry);
  return true;
};

export const answerCallbackQuery: MethodHandler = (state, params) => {
  const id = params.string('callback_query_id');
  const text = params.optionalString('text');
  if (text !== undefined && text.length > 200) throw badRequest('text is too long');
  const showAlert = params.optionalBool('show_alert') === true;
  params.optionalString('url');
  params.optionalInt('cache_time', 0, 2_147_483_647);
  const query = state.callbacks.get(id);
  if (query === undefined)
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  // Each query may be answered once, which also bounds the map.
  state.callbacks.delete(id);
  const answer: { callback_query_id: string; chat_id: number; show_alert: boolean; text?: string } =
    {
      callback_query_id: id,
      chat_id: query.userId,
      show_alert: showAlert,
    };
  if (text !== undefined && text !== '') answer.text = text;
  state.hub.publish('answer', JSON.stringify(answer));
  return true;
};

function readInlineMarkup(params: Params): InlineKeyboardMarkup | undefined {
  const markup = readReplyMarkup(params);
  if (markup !== undefined && !isInlineKeyboard(markup))
    throw badRequest('inline keyboard expected');
  return markup;
}

function editableEntry(state: EmulatorState, params: Params): ChatEntry {
  if (params.has('inline_message_id') && !params.has('chat_id'))
    throw badRequest('inline messages are not supported');
  const chat = chatOf(state, params);
  const messageId = params.int('message_id', 1, MAX_MESSAGE_ID);
  assertNotBlocked(chat);
  const entry = chat.log.find(messageId);
  if (entry === undefined) throw badRequest('message to edit not found');
  if (!entry.fromBot) throw badRequest("message can't be edited");
  return entry;
}

/** Telegram drops an inline keyboard that an edit does not repeat. */
function applyEdit(
  state: EmulatorState,
  entry: ChatEntry,
  content: MessageContent,
  markup: InlineKeyboardMarkup | undefined,
): RawJson {
  const edited: Mutable<Envelope> = { ...entry.envelope, edit_date: unixNow() };
  if (markup === undefined) delete edited.reply_markup;
  else edited.reply_markup = markup;
  rewrite(entry, edited, content);
  // A reply keyboard belongs to the chat, not the message, so an edit leaves it alone.
  if (markup !== undefined || isInlineKeyboard(entry.replyMarkup)) entry.replyMarkup = markup;
  const json = JSON.stringify(entry.message);
  state.publishSent('edit', entry, json);
  return new RawJson(json);
}

function sameMarkup(
  a: InlineKeyboardMarkup | undefined,
  b: InlineKeyboardMarkup | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
