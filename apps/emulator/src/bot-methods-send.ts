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
import type { CopiedFrom } from './chat-log.js';
import { unixNow, type EmulatorState } from './emulator-state.js';
import { readParseMode, renderFormattedText } from './formatted-text.js';
import { toInteger, type Params } from './params.js';
import { isInlineKeyboard, isRecord, readReplyMarkup } from './reply-markup.js';
import type { Message, ReplyMarkup } from './telegram-types.js';
import type { UserRecord } from './user-directory.js';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export const sendMessage: MethodHandler = (state, params) => {
  const text = checkText(
    renderFormattedText(params.optionalString('text') ?? '', readParseMode(params)),
  );
  const markup = readReplyMarkup(params);
  const protect = params.optionalBool('protect_content') === true;
  const chat = chatOf(state, params);
  assertNotBlocked(chat);
  const replyTo = readReplyTarget(state, params, chat);
  const message = newBotMessage(state, chat);
  if (replyTo !== undefined) message.reply_to_message = replyTo;
  message.text = text;
  finishMessage(message, markup, protect);
  const entry = state.record(chat, message, true, markup);
  const json = JSON.stringify(message);
  state.publishSent('send', entry, json);
  return new RawJson(json);
};

export const copyMessage: MethodHandler = (state, params) => {
  const messageId = params.int('message_id', 1, MAX_MESSAGE_ID);
  const caption = readCaption(params);
  const markup = readReplyMarkup(params);
  const protect = params.optionalBool('protect_content') === true;
  const target = chatOf(state, params);
  const source = chatOf(state, params, 'from_chat_id');
  assertNotBlocked(target);
  const original = source.log.find(messageId)?.message;
  if (original === undefined) throw badRequest('message to copy not found');
  if (original.has_protected_content === true) throw badRequest("message can't be copied");
  const replyTo = readReplyTarget(state, params, target);
  const copy = copyContent(state, original, target, {
    caption,
    removeCaption: false,
    mediaGroupId: undefined,
  });
  if (replyTo !== undefined) copy.reply_to_message = replyTo;
  finishMessage(copy, markup, protect);
  const copiedFrom: CopiedFrom = { chat_id: source.chat.id, message_id: messageId };
  state.publishSent('copy', state.record(target, copy, true, markup, copiedFrom));
  return new RawJson(`{"message_id":${copy.message_id}}`);
};

export const copyMessages: MethodHandler = (state, params) => {
  const ids = readMessageIds(params);
  const removeCaption = params.optionalBool('remove_caption') === true;
  const protect = params.optionalBool('protect_content') === true;
  const target = chatOf(state, params);
  const source = chatOf(state, params, 'from_chat_id');
  assertNotBlocked(target);
  // Album grouping is kept: each source media_group_id maps to one new id in the target chat.
  const groups = new Map<string, string>();
  const result: { message_id: number }[] = [];
  for (const id of ids) {
    const original = source.log.find(id)?.message;
    if (original === undefined || original.has_protected_content === true) continue;
    let mediaGroupId: string | undefined;
    if (original.media_group_id !== undefined) {
      mediaGroupId = groups.get(original.media_group_id);
      if (mediaGroupId === undefined) {
        mediaGroupId = state.nextMediaGroupId();
        groups.set(original.media_group_id, mediaGroupId);
      }
    }
    const copy = copyContent(state, original, target, {
      caption: undefined,
      removeCaption,
      mediaGroupId,
    });
    finishMessage(copy, undefined, protect);
    state.publishSent(
      'copy',
      state.record(target, copy, true, undefined, { chat_id: source.chat.id, message_id: id }),
    );
    result.push({ message_id: copy.message_id });
  }
  return result;
};

export const sendChatAction: MethodHandler = (state, params) => {
  const action = params.optionalString('action');
  if (action === undefined || action === '') throw badRequest('action is required');
  if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  const chat = chatOf(state, params);
  assertNotBlocked(chat);
  state.hub.publish('action', JSON.stringify({ chat_id: chat.chat.id, action }));
  return true;
};

export function newBotMessage(state: EmulatorState, chat: UserRecord): Message {
  return {
    message_id: chat.log.nextMessageId(),
    from: state.botFrom,
    chat: chat.chat,
    date: unixNow(),
  };
}

/** Telegram shows only inline keyboards on the message; other markup changes the chat's keyboard. */
function finishMessage(message: Message, markup: ReplyMarkup | undefined, protect: boolean): void {
  if (isInlineKeyboard(markup)) message.reply_markup = markup;
  if (protect) message.has_protected_content = true;
}

/** A replied-to message is embedded without its own reply_to_message, as in Telegram. */
export function asReplyTarget(message: Message): Message {
  const copy = { ...message };
  delete copy.reply_to_message;
  return copy;
}

interface CopyOptions {
  readonly caption: string | undefined;
  readonly removeCaption: boolean;
  readonly mediaGroupId: string | undefined;
}

function copyContent(
  state: EmulatorState,
  original: Message,
  target: UserRecord,
  options: CopyOptions,
): Message {
  const copy = newBotMessage(state, target);
  if (options.mediaGroupId !== undefined) copy.media_group_id = options.mediaGroupId;
  if (original.text !== undefined) copy.text = original.text;
  // file_ids are reused by copies, exactly like Telegram does.
  if (original.photo !== undefined) copy.photo = original.photo;
  if (original.sticker !== undefined) copy.sticker = original.sticker;
  if (original.voice !== undefined) copy.voice = original.voice;
  if (original.video !== undefined) copy.video = original.video;
  if (original.document !== undefined) copy.document = original.document;
  if (original.text === undefined && original.sticker === undefined) {
    const caption = options.removeCaption ? undefined : (options.caption ?? original.caption);
    if (caption !== undefined) copy.caption = caption;
  }
  return copy;
}

function readCaption(params: Params): string | undefined {
  const caption = params.optionalString('caption');
  if (caption === undefined) return undefined;
  return checkCaption(renderFormattedText(caption, readParseMode(params)));
}

function readMessageIds(params: Params): number[] {
  const value = params.optionalJson('message_ids', () =>
    badRequest("can't parse message_ids JSON array"),
  );
  if (value === undefined) throw badRequest('message_ids is required');
  if (!Array.isArray(value) || value.length === 0 || value.length > 100) {
    throw badRequest('message_ids must be an array of 1-100 message identifiers');
  }
  const ids: number[] = [];
  for (const item of value) {
    const id = toInteger(item);
    if (id === undefined || id < 1 || id > MAX_MESSAGE_ID)
      throw badRequest('message_ids must contain message identifiers');
    const previous = ids.at(-1);
    if (previous !== undefined && id <= previous)
      throw badRequest('message_ids must be in strictly increasing order');
    ids.push(id);
  }
  return ids;
}

/** reply_parameters (or the older reply_to_message_id) resolved against the target chat. */
function readReplyTarget(
  state: EmulatorState,
  params: Params,
  chat: UserRecord,
): Message | undefined {
  const raw = params.optionalJson('reply_parameters', () =>
    badRequest("can't parse reply parameters JSON object"),
  );
  let messageId: number | undefined;
  let allowMissing = params.optionalBool('allow_sending_without_reply') === true;
  let inChat = chat;
  if (raw !== undefined) {
    if (!isRecord(raw)) throw badRequest("can't parse reply parameters JSON object");
    messageId = toInteger(raw['message_id']);
    if (messageId === undefined) throw badRequest('message_id in reply_parameters is required');
    allowMissing = raw['allow_sending_without_reply'] === true;
    if (raw['chat_id'] !== undefined) {
      const other = state.users.get(toInteger(raw['chat_id']) ?? Number.NaN);
      if (other === undefined) throw badRequest('chat not found');
      inChat = other;
    }
  } else {
    messageId = params.optionalInt('reply_to_message_id', 1, MAX_MESSAGE_ID);
    if (messageId === undefined) return undefined;
  }
  const target = inChat.log.find(messageId);
  if (target !== undefined) return asReplyTarget(target.message);
  if (allowMissing) return undefined;
  throw badRequest('message to be replied not found');
}
