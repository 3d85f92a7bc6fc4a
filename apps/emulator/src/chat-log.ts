import type { ReplyMarkup } from '@hamdam/telegram';
import {
  buildMessage,
  contentKind,
  mediaGroupOf,
  type ChatMessage,
  type ContentKind,
  type Envelope,
  type MessageContent,
} from './message-builder.js';

export interface CopiedFrom {
  readonly chat_id: number;
  readonly message_id: number;
}

/** One message in a private chat, with what the control API reveals about it. */
export interface ChatEntry {
  readonly seq: number;
  readonly fromBot: boolean;
  readonly copiedFrom: CopiedFrom | undefined;
  /** The message's two halves; `message` is always `buildMessage(envelope, content)`. */
  envelope: Envelope;
  content: MessageContent;
  message: ChatMessage;
  /** Everything the bot attached, including reply keyboards that Telegram does not echo on the message. */
  replyMarkup: ReplyMarkup | undefined;
  deleted: boolean;
}

/**
 * What a test needs to check about a message at a glance, beside the Message itself: its
 * kind of content, what it replies to, its album, whether it is protected or was edited.
 */
export interface MessageSummary {
  content: ContentKind;
  reply_to_message_id?: number;
  media_group_id?: string;
  protect_content?: true;
  edit_date?: number;
}

/** The control API's view of a chat entry. */
export interface ChatLogEntry extends MessageSummary {
  seq: number;
  from_bot: boolean;
  message: ChatMessage;
  reply_markup?: ReplyMarkup;
  /** For tests that check routing; the playground never shows it. */
  copied_from?: CopiedFrom;
  deleted?: true;
}

/** Replaces an entry's message after an edit, keeping its halves in step. */
export function rewrite(entry: ChatEntry, envelope: Envelope, content: MessageContent): void {
  entry.envelope = envelope;
  entry.content = content;
  entry.message = buildMessage(envelope, content);
}

export function summarize(message: ChatMessage): MessageSummary {
  const summary: MessageSummary = { content: contentKind(message) };
  if (message.reply_to_message !== undefined)
    summary.reply_to_message_id = message.reply_to_message.message_id;
  const group = mediaGroupOf(message);
  if (group !== undefined) summary.media_group_id = group;
  if (message.has_protected_content === true) summary.protect_content = true;
  if (message.edit_date !== undefined) summary.edit_date = message.edit_date;
  return summary;
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
  const view: ChatLogEntry = {
    seq: entry.seq,
    from_bot: entry.fromBot,
    ...summarize(entry.message),
    message: entry.message,
  };
  if (entry.replyMarkup !== undefined) view.reply_markup = entry.replyMarkup;
  if (entry.copiedFrom !== undefined) view.copied_from = entry.copiedFrom;
  if (entry.deleted) view.deleted = true;
  return view;
}
