import { CHAT_ACTIONS, type MessageId, type ReplyMarkup } from '@hamdam/telegram';
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
import {
  isCaptioned,
  mediaGroupOf,
  withCaption,
  type Envelope,
  type MessageContent,
} from './message-builder.js';
import { toInteger, type Params } from './params.js';
import { readReplyTarget } from './reply-target.js';
import { isInlineKeyboard, readReplyMarkup } from './reply-markup.js';
import type { UserRecord } from './user-directory.js';

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(CHAT_ACTIONS);

export const sendMessage: MethodHandler = (state, params) => {
  const text = checkText(
    renderFormattedText(params.optionalString('text') ?? '', readParseMode(params)),
  );
  const markup = readReplyMarkup(params);
  const protect = params.optionalBool('protect_content') === true;
  const chat = chatOf(state, params);
  assertNotBlocked(chat);
  const reply = readReplyTarget(state, params, chat);
  const envelope = botEnvelope(state, chat, { ...reply, markup, protect });
  const entry = state.record(chat, envelope, { text }, true, markup);
  const json = JSON.stringify(entry.message);
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
  const original = source.log.find(messageId);
  if (original === undefined) throw badRequest('message to copy not found');
  if (original.message.has_protected_content === true) throw badRequest("message can't be copied");
  const reply = readReplyTarget(state, params, target);
  let content = original.content;
  if (caption !== undefined && isCaptioned(content))
    content = withCaption(content, caption === '' ? undefined : caption);
  const envelope = botEnvelope(state, target, { ...reply, markup, protect });
  const copiedFrom: CopiedFrom = { chat_id: source.chat.id, message_id: messageId };
  state.publishSent('copy', state.record(target, envelope, content, true, markup, copiedFrom));
  const result: MessageId = { message_id: envelope.message_id };
  return result;
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
  const result: MessageId[] = [];
  for (const id of ids) {
    const original = source.log.find(id);
    if (original === undefined || original.message.has_protected_content === true) continue;
    let mediaGroupId: string | undefined;
    const sourceGroup = mediaGroupOf(original.message);
    if (sourceGroup !== undefined) {
      mediaGroupId = groups.get(sourceGroup);
      if (mediaGroupId === undefined) {
        mediaGroupId = state.nextMediaGroupId();
        groups.set(sourceGroup, mediaGroupId);
      }
    }
    const content = removeCaption ? withoutCaption(original.content) : original.content;
    const envelope = botEnvelope(state, target, { protect, mediaGroupId });
    const copiedFrom: CopiedFrom = { chat_id: source.chat.id, message_id: id };
    state.publishSent('copy', state.record(target, envelope, content, true, undefined, copiedFrom));
    result.push({ message_id: envelope.message_id });
  }
  return result;
};

export const sendChatAction: MethodHandler = (state, params) => {
  const action = params.optionalString('action');
  if (action === undefined || action === '') throw badRequest('action is required');
  if (!KNOWN_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  const chat = chatOf(state, params);
  assertNotBlocked(chat);
  state.hub.publish('action', JSON.stringify({ chat_id: chat.chat.id, action }));
  return true;
};

interface EnvelopeOptions {
  readonly replyTo?: Envelope['reply_to_message'];
  readonly markup?: ReplyMarkup | undefined;
  readonly protect?: boolean;
  readonly mediaGroupId?: string | undefined;
}

/** A new message from the bot in `chat`, with Telegram's flags. */
function botEnvelope(state: EmulatorState, chat: UserRecord, options: EnvelopeOptions): Envelope {
  let envelope: Envelope = {
    message_id: chat.log.nextMessageId(),
    from: state.botFrom,
    chat: chat.chat,
    date: unixNow(),
  };
  if (options.replyTo !== undefined) envelope = { ...envelope, reply_to_message: options.replyTo };
  if (options.mediaGroupId !== undefined)
    envelope = { ...envelope, media_group_id: options.mediaGroupId };
  // Telegram shows only inline keyboards on the message; other markup changes the chat's keyboard.
  if (isInlineKeyboard(options.markup)) envelope = { ...envelope, reply_markup: options.markup };
  if (options.protect === true) envelope = { ...envelope, has_protected_content: true };
  return envelope;
}

function withoutCaption(content: MessageContent): MessageContent {
  return isCaptioned(content) ? withCaption(content, undefined) : content;
}

/** A new caption, or `''` to drop the original; undefined keeps the original. */
function readCaption(params: Params): string | undefined {
  const caption = params.optionalString('caption');
  if (caption === undefined) return undefined;
  return checkCaption(renderFormattedText(caption, readParseMode(params))) ?? '';
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
