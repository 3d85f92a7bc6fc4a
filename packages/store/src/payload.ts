import {
  isLanguage,
  isOutgoing,
  parseReplyRef,
  type Language,
  type ReplyRef,
} from '@hamdam/domain';
import type { OutboxItem, Payload } from './outbox.js';

/**
 * Outbox entries are strings, so a script can read them:
 *   `@name?args`                              a catalogue reply
 *   `{…}`                                     the JSON of an Outgoing call
 *   `~from|ids|group|replyTo|protect|gather`  a copy of message(s) `ids` of chat `from`
 *   `^from|id|{…}`                            an edit of `from`'s message `id`, for its copy
 *   `!broadcast|{…}`                          a message of broadcast number `broadcast`
 */
export function encodePayload(payload: Payload): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/**
 * A media group id as a copy entry carries it. It comes from outside and only has to compare
 * equal, so it is percent-encoded: it can never hold the separator `|` and break the entry.
 */
export function encodeGroup(group: string): string {
  return encodeURIComponent(group);
}

/** The item of an entry, or null when it cannot be read (a bug or a foreign writer). */
export function decodeItem(raw: string): OutboxItem | null {
  try {
    switch (raw[0]) {
      case '@':
        return parseReplyRef(raw) ? { kind: 'reply', ref: raw as ReplyRef } : null;
      case '{': {
        const call: unknown = JSON.parse(raw);
        return isOutgoing(call) ? { kind: 'call', call } : null;
      }
      case '!': {
        // Entries queued before broadcasts were numbered have no number.
        const m = /^!(?:\d+\|)?(\{.*\})$/s.exec(raw);
        const call: unknown = m ? JSON.parse(m[1]!) : null;
        return isOutgoing(call) ? { kind: 'broadcast', call } : null;
      }
      case '~': {
        const m = /^~(-?\d+)\|([\d,]+)\|[^|]*\|(\d*)\|(1?)\|\d+$/.exec(raw);
        if (!m) return null;
        return {
          kind: 'copy',
          from: Number(m[1]),
          messageIds: m[2]!.split(',').map(Number),
          replyTo: m[3] ? Number(m[3]) : null,
          protect: m[4] === '1',
        };
      }
      case '^': {
        const m = /^\^(-?\d+)\|(\d+)\|(\{.*\})$/s.exec(raw);
        const call: unknown = m ? JSON.parse(m[3]!) : null;
        return m && isOutgoing(call)
          ? { kind: 'edit', from: Number(m[1]), messageId: Number(m[2]), call }
          : null;
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}

export function languageOr(value: unknown, fallback: Language): Language {
  return isLanguage(value) ? value : fallback;
}

/** A say request carries one payload or several; both are walked as a list. */
export function payloadList(payload: Payload | readonly Payload[]): readonly Payload[] {
  return isList(payload) ? payload : [payload];
}

function isList(payload: Payload | readonly Payload[]): payload is readonly Payload[] {
  return Array.isArray(payload);
}
