import { ChatLog } from './chat-log.js';
import type { PrivateChat, User } from './telegram-types.js';

export const FIRST_USER_ID = 1_000_000_001;

export interface UserRecord {
  readonly user: User;
  readonly chat: PrivateChat;
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

/** All emulated users; every user is also a private chat with the same id. */
export class UserDirectory {
  readonly #users = new Map<number, UserRecord>();
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

  list(): User[] {
    return Array.from(this.#users.values(), (record) => record.user);
  }

  records(): IterableIterator<UserRecord> {
    return this.#users.values();
  }

  create(input: NewUser): UserRecord {
    const id = input.id ?? this.#allocateId();
    const user: User = {
      id,
      is_bot: false,
      first_name: input.first_name ?? `User ${this.#users.size + 1}`,
    };
    const chat: PrivateChat = { id, type: 'private', first_name: user.first_name };
    if (input.last_name !== undefined) user.last_name = chat.last_name = input.last_name;
    if (input.username !== undefined) user.username = chat.username = input.username;
    if (input.language_code !== undefined) user.language_code = input.language_code;
    const record: UserRecord = {
      user,
      chat,
      log: new ChatLog(this.#chatLogMaxAgeMs),
      chatInstance: String(BigInt(id) * 7919n + 4_611_686_018_427n),
      blocked: false,
    };
    this.#users.set(id, record);
    return record;
  }

  clear(): void {
    this.#users.clear();
  }

  #allocateId(): number {
    while (this.#users.has(this.#nextId)) this.#nextId++;
    return this.#nextId++;
  }
}
