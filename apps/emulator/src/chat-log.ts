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
 *
 * A log may forget messages older than `maxAgeMs` (default: never), so a long load test
 * keeps a small heap. By age rather than by count: a message must outlive its copy, and a
 * copy made within the age is safe however fast the chat moves.
 */
export class ChatLog {
  #entries: ChatEntry[] = [];
  /** When each entry was appended (ms, monotonic), beside #entries. */
  #times: number[] = [];
  /** Entries before this index are forgotten; compacted away in batches. */
  #start = 0;
  readonly #byMessageId = new Map<number, ChatEntry>();
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  // User and bot messages share one counter per chat, as in Telegram.
  #lastMessageId = 0;

  constructor(maxAgeMs = Number.POSITIVE_INFINITY, now: () => number = () => performance.now()) {
    this.#maxAgeMs = maxAgeMs;
    this.#now = now;
  }

  nextMessageId(): number {
    return ++this.#lastMessageId;
  }

  append(entry: ChatEntry): void {
    const now = this.#now();
    this.#entries.push(entry);
    this.#times.push(now);
    this.#byMessageId.set(entry.message.message_id, entry);
    if (this.#maxAgeMs === Number.POSITIVE_INFINITY) return;
    while (now - this.#times[this.#start]! > this.#maxAgeMs) {
      this.#byMessageId.delete(this.#entries[this.#start]!.message.message_id);
      this.#start++;
    }
    // Compact once the forgotten part is the larger half: amortised O(1) per message.
    if (this.#start > 16 && this.#start * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#start);
      this.#times = this.#times.slice(this.#start);
      this.#start = 0;
    }
  }

  /** A message that still exists (not deleted, not forgotten). */
  find(messageId: number): ChatEntry | undefined {
    const entry = this.#byMessageId.get(messageId);
    return entry === undefined || entry.deleted ? undefined : entry;
  }

  after(seq: number): readonly ChatEntry[] {
    let lo = this.#start;
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
