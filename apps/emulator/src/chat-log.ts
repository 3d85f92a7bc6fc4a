import type { Message, ReplyMarkup } from './telegram-types.js';

export interface CopiedFrom {
  readonly chat_id: number;
  readonly message_id: number;
}

/** One message in a private chat, with what the control API reveals about it. */
export interface ChatEntry {
  readonly seq: number;
  readonly fromBot: boolean;
  readonly copiedFrom: CopiedFrom | undefined;
  message: Message;
  /** Everything the bot attached, including reply keyboards that Telegram does not echo on the message. */
  replyMarkup: ReplyMarkup | undefined;
  deleted: boolean;
}

/** The control API's view of a chat entry. */
export interface ChatLogEntry {
  seq: number;
  from_bot: boolean;
  message: Message;
  reply_markup?: ReplyMarkup;
  copied_from?: CopiedFrom;
  deleted?: true;
}

/**
 * The messages of one private chat in order. Lookups by message_id are O(1)
 * because copyMessage and edits hit them on the hot path; `after(seq)` is a
 * binary search because entries are appended in seq order.
 */
export class ChatLog {
  #entries: ChatEntry[] = [];
  readonly #byMessageId = new Map<number, ChatEntry>();
  readonly #limit: number;
  // User and bot messages share one counter per chat, as in Telegram.
  #lastMessageId = 0;

  constructor(limit = Number.POSITIVE_INFINITY) {
    this.#limit = limit;
  }

  nextMessageId(): number {
    return ++this.#lastMessageId;
  }

  append(entry: ChatEntry): void {
    this.#entries.push(entry);
    this.#byMessageId.set(entry.message.message_id, entry);
    // Trim in batches once the log passes its bound by a quarter: amortised O(1) per message,
    // and the log never holds much more than its bound.
    if (this.#entries.length > this.#limit + Math.ceil(this.#limit / 4)) {
      const dropped = this.#entries.length - this.#limit;
      for (const old of this.#entries.slice(0, dropped))
        this.#byMessageId.delete(old.message.message_id);
      this.#entries = this.#entries.slice(dropped);
    }
  }

  /** A message that still exists (not deleted). */
  find(messageId: number): ChatEntry | undefined {
    const entry = this.#byMessageId.get(messageId);
    return entry === undefined || entry.deleted ? undefined : entry;
  }

  after(seq: number): readonly ChatEntry[] {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#entries[mid]?.seq ?? 0) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.#entries.slice(lo);
  }
}

export function toChatLogEntry(entry: ChatEntry): ChatLogEntry {
  const view: ChatLogEntry = { seq: entry.seq, from_bot: entry.fromBot, message: entry.message };
  if (entry.replyMarkup !== undefined) view.reply_markup = entry.replyMarkup;
  if (entry.copiedFrom !== undefined) view.copied_from = entry.copiedFrom;
  if (entry.deleted) view.deleted = true;
  return view;
}
