import { ControlError } from './api-error.js';
import { asReplyTarget } from './bot-methods-send.js';
import type { CallbackInput, MessageInput } from './control-input.js';
import { unixNow, type EmulatorState } from './emulator-state.js';
import type { ChatMemberUpdated, Message, MessageEntity } from './telegram-types.js';
import type { UserRecord } from './user-directory.js';

export interface InjectedUpdate {
  update_id: number;
  message_id?: number;
  callback_query_id?: string;
}

/** Throws unless `sendUserMessage` would succeed; lets batches fail before injecting anything. */
export function checkUserMessage(record: UserRecord, input: MessageInput): void {
  assertCanWrite(record);
  if (
    input.replyToMessageId !== undefined &&
    record.log.find(input.replyToMessageId) === undefined
  ) {
    throw new ControlError(
      400,
      `reply_to_message_id ${input.replyToMessageId} is not a message in this chat`,
    );
  }
}

/** The user sends a message to the bot. */
export function sendUserMessage(
  state: EmulatorState,
  record: UserRecord,
  input: MessageInput,
): InjectedUpdate {
  checkUserMessage(record, input);
  const message: Message = {
    message_id: record.log.nextMessageId(),
    from: record.user,
    chat: record.chat,
    date: unixNow(),
  };
  if (input.mediaGroupId !== undefined) message.media_group_id = input.mediaGroupId;
  if (input.replyToMessageId !== undefined) {
    const target = record.log.find(input.replyToMessageId);
    if (target !== undefined) message.reply_to_message = asReplyTarget(target.message);
  }
  if (input.text !== undefined) {
    message.text = input.text;
    const entities = commandEntities(input.text);
    if (entities.length > 0) message.entities = entities;
  } else if (input.media === 'photo') message.photo = state.files.photo();
  else if (input.media === 'sticker') message.sticker = state.files.sticker();
  else if (input.media === 'voice') message.voice = state.files.voice();
  else if (input.media === 'video') message.video = state.files.video();
  else if (input.media === 'document') message.document = state.files.document();
  if (input.caption !== undefined) message.caption = input.caption;
  state.record(record, message, false, undefined);
  const updateId = state.emitUpdate('message', record.chat.id, message);
  return { update_id: updateId, message_id: message.message_id };
}

/**
 * Telegram marks every `/command` (optionally `@botname`) that starts the text or follows
 * white space as a bot_command entity; bot frameworks route commands by these entities, not
 * by the text. Offsets count UTF-16 code units, as JavaScript strings do.
 */
export function commandEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const match of text.matchAll(
    /(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|\s)/g,
  )) {
    out.push({
      type: 'bot_command',
      offset: match.index + match[1]!.length,
      length: match[2]!.length,
    });
  }
  return out;
}

export function checkCallback(record: UserRecord, input: CallbackInput): void {
  assertCanWrite(record);
  const entry = record.log.find(input.messageId);
  if (entry === undefined || !entry.fromBot) {
    throw new ControlError(
      400,
      `message ${input.messageId} is not a message the bot sent to this user`,
    );
  }
}

/** The user presses an inline button under one of the bot's messages. */
export function pressInlineButton(
  state: EmulatorState,
  record: UserRecord,
  input: CallbackInput,
): InjectedUpdate {
  checkCallback(record, input);
  const entry = record.log.find(input.messageId);
  if (entry === undefined) throw new ControlError(400, `message ${input.messageId} not found`);
  const id = state.nextCallbackId();
  state.callbacks.set(id, { userId: record.user.id });
  const updateId = state.emitUpdate('callback_query', record.user.id, {
    id,
    from: record.user,
    message: entry.message,
    chat_instance: record.chatInstance,
    data: input.data,
  });
  return { update_id: updateId, callback_query_id: id };
}

/** Blocking or unblocking the bot; only a change produces a my_chat_member update, as in Telegram. */
export function setBlocked(
  state: EmulatorState,
  record: UserRecord,
  blocked: boolean,
): { user_id: number; blocked: boolean; update_id: number | null } {
  if (record.blocked === blocked) return { user_id: record.user.id, blocked, update_id: null };
  record.blocked = blocked;
  const member = { user: state.botFrom, status: 'member' as const };
  const kicked = { user: state.botFrom, status: 'kicked' as const, until_date: 0 };
  const payload: ChatMemberUpdated = {
    chat: record.chat,
    from: record.user,
    date: unixNow(),
    old_chat_member: blocked ? member : kicked,
    new_chat_member: blocked ? kicked : member,
  };
  const updateId = state.emitUpdate('my_chat_member', record.chat.id, payload);
  publishUser(state, record);
  return { user_id: record.user.id, blocked, update_id: updateId };
}

export function publishUser(state: EmulatorState, record: UserRecord): void {
  if (state.hub.hasClients)
    state.hub.publish('user', JSON.stringify({ user: record.user, blocked: record.blocked }));
}

function assertCanWrite(record: UserRecord): void {
  // A real client must unblock the bot before writing to it again.
  if (record.blocked)
    throw new ControlError(409, `user ${record.user.id} has blocked the bot; unblock it first`);
}
