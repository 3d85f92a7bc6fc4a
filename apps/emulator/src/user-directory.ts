import type { Chat, User } from '@hamdam/telegram';
import { ChatLog } from './chat-log.js';

export const FIRST_USER_ID = 1_000_000_001;

export interface UserRecord {
  /**
   * Replaced, never mutated, on a rename: messages already in a chat keep the name they
   * were sent with, as in Telegram.
   */
  user: User;
  chat: Chat.PrivateChat;
  readonly log: ChatLog;
  /** Telegram gives every (bot, chat) pair a stable opaque chat_instance for callback queries. */
  readonly chatInstance: string;
  blocked: boolean;
}

export interface NewUser {
  id?: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A change to a user; `null` removes an optional field. */
export interface UserPatch {
  first_name?: string;
  last_name?: string | null;
  username?: string | null;
  language_code?: string | null;
}

/** All emulated users; every user is also a private chat with the same id. */
export class UserDirectory {
  readonly #users = new Map<number, UserRecord>();
  /** Users who deleted their account: the bot's sends to them fail as Telegram's do. */
  readonly #deleted = new Set<number>();
  // Ids stay monotonic across resets so a bot that keeps state between test
  // cases never mistakes a new user for an old one.
  #nextId = FIRST_USER_ID;
  readonly #chatLogMaxAgeMs: number;

  constructor(chatLogMaxAgeMs = Number.POSITIVE_INFINITY) {
    this.#chatLogMaxAgeMs = chatLogMaxAgeMs;
  }

  get(id: number): UserRecord | undefined {
    return this.#users.get(id);
  }

  has(id: number): boolean {
    return this.#users.has(id);
  }

  wasDeleted(id: number): boolean {
    return this.#deleted.has(id);
  }

  list(): User[] {
    return Array.from(this.#users.values(), (record) => record.user);
  }

  records(): IterableIterator<UserRecord> {
    return this.#users.values();
  }

  create(input: NewUser): UserRecord {
    const id = input.id ?? this.#allocateId();
    const user = userOf(id, {
      first_name: input.first_name ?? `User ${this.#users.size + 1}`,
      last_name: input.last_name ?? null,
      username: input.username ?? null,
      language_code: input.language_code ?? null,
    });
    const record: UserRecord = {
      user,
      chat: chatOf(user),
      log: new ChatLog(this.#chatLogMaxAgeMs),
      chatInstance: String(BigInt(id) * 7919n + 4_611_686_018_427n),
      blocked: false,
    };
    this.#deleted.delete(id);
    this.#users.set(id, record);
    return record;
  }

  update(record: UserRecord, patch: UserPatch): void {
    const { user } = record;
    record.user = userOf(user.id, {
      first_name: patch.first_name ?? user.first_name,
      last_name: patch.last_name === undefined ? (user.last_name ?? null) : patch.last_name,
      username: patch.username === undefined ? (user.username ?? null) : patch.username,
      language_code:
        patch.language_code === undefined ? (user.language_code ?? null) : patch.language_code,
    });
    record.chat = chatOf(record.user);
  }

  /** Forgets the user and their chat; the bot's later sends to them fail. */
  delete(id: number): boolean {
    if (!this.#users.delete(id)) return false;
    this.#deleted.add(id);
    return true;
  }

  clear(): void {
    this.#users.clear();
    this.#deleted.clear();
  }

  #allocateId(): number {
    while (this.#users.has(this.#nextId) || this.#deleted.has(this.#nextId)) this.#nextId++;
    return this.#nextId++;
  }
}

interface Names {
  readonly first_name: string;
  readonly last_name: string | null;
  readonly username: string | null;
  readonly language_code: string | null;
}

function userOf(id: number, names: Names): User {
  const user: User = { id, is_bot: false, first_name: names.first_name };
  if (names.last_name !== null) user.last_name = names.last_name;
  if (names.username !== null) user.username = names.username;
  if (names.language_code !== null) user.language_code = names.language_code;
  return user;
}

function chatOf(user: User): Chat.PrivateChat {
  const chat: Chat.PrivateChat = { id: user.id, type: 'private', first_name: user.first_name };
  if (user.last_name !== undefined) chat.last_name = user.last_name;
  if (user.username !== undefined) chat.username = user.username;
  return chat;
}
