import type { ChatMemberBanned, ChatMemberMember, ChatMemberUpdated } from '@hamdam/telegram';
import { ControlError } from './api-error.js';
import type { CallbackInput } from './control-input.js';
import { unixNow, type EmulatorState } from './emulator-state.js';
import type { UserPatch, UserRecord } from './user-directory.js';

export interface InjectedUpdate {
  update_id: number;
  message_id?: number;
  callback_query_id?: string;
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
  const member: ChatMemberMember = { user: state.botFrom, status: 'member' };
  const kicked: ChatMemberBanned = { user: state.botFrom, status: 'kicked', until_date: 0 };
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

/** A rename or a new language: Telegram sends no update; the user's next messages carry it. */
export function updateUser(state: EmulatorState, record: UserRecord, patch: UserPatch): void {
  state.users.update(record, patch);
  publishUser(state, record);
}

/** The user deletes their account: the chat is gone and the bot's sends fail with 403. */
export function deleteUser(state: EmulatorState, record: UserRecord): void {
  state.users.delete(record.user.id);
  if (state.hub.hasClients)
    state.hub.publish('user_deleted', JSON.stringify({ user_id: record.user.id }));
}

export function publishUser(state: EmulatorState, record: UserRecord): void {
  if (state.hub.hasClients)
    state.hub.publish('user', JSON.stringify({ user: record.user, blocked: record.blocked }));
}

export function assertCanWrite(record: UserRecord): void {
  // A real client must unblock the bot before writing to it again.
  if (record.blocked)
    throw new ControlError(409, `user ${record.user.id} has blocked the bot; unblock it first`);
}
