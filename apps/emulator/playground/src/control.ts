import type { BotCommand, Message, ReplyMarkup, User } from '@hamdam/telegram';

// The control API as the page uses it. These are the emulator's wire shapes (see its
// README); the page reads only the fields below.

export interface UserState {
  readonly user: User;
  readonly blocked: boolean;
}

/** One message in a chat, from the chat log or the live stream. */
export interface ChatItem {
  readonly message: Message;
  readonly fromBot: boolean;
  readonly deleted: boolean;
  /** Reply keyboards and the like, which Telegram keeps beside the message, not on it. */
  readonly replyMarkup: ReplyMarkup | undefined;
  /** How many times the message was replaced since it was first shown (edits, deletion). */
  readonly revision?: number;
}

export interface LogEntry {
  readonly from_bot: boolean;
  readonly message: Message;
  readonly reply_markup?: ReplyMarkup;
  readonly deleted?: true;
}

export class ControlError extends Error {
  override readonly name = 'ControlError';
}

export async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`/control${path}`, init);
  const text = await response.text();
  const data = (text === '' ? {} : JSON.parse(text)) as { error?: string };
  if (!response.ok) throw new ControlError(data.error ?? `HTTP ${response.status}`);
  return data as T;
}

export const api = {
  users: () => control<User[]>('GET', '/users'),
  user: (id: number) => control<UserState>('GET', `/users/${id}`),
  createUser: (fields: Record<string, string>) => control<User>('POST', '/users', fields),
  updateUser: (id: number, patch: Record<string, string | null>) =>
    control<UserState>('PATCH', `/users/${id}`, patch),
  deleteUser: (id: number) => control<unknown>('DELETE', `/users/${id}`),
  chat: (id: number) => control<{ messages: LogEntry[] }>('GET', `/users/${id}/chat`),
  commands: (id: number) => control<{ commands: BotCommand[] }>('GET', `/users/${id}/commands`),
  send: (id: number, body: Record<string, unknown>) =>
    control<{ message_id: number }>('POST', `/users/${id}/messages`, body),
  edit: (id: number, body: Record<string, unknown>) =>
    control<unknown>('POST', `/users/${id}/edits`, body),
  album: (id: number, body: Record<string, unknown>) =>
    control<unknown>('POST', `/users/${id}/albums`, body),
  press: (id: number, messageId: number, data: string) =>
    control<unknown>('POST', `/users/${id}/callbacks`, { message_id: messageId, data }),
  block: (id: number, blocked: boolean) =>
    control<{ blocked: boolean }>('POST', `/users/${id}/block`, { blocked }),
};

export function fileUrl(fileId: string): string {
  return `/control/files/${encodeURIComponent(fileId)}`;
}
