import {
  isLanguage,
  isOutgoing,
  parseReplyRef,
  type Language,
  type Outgoing,
  type ReplyRef,
} from '@hamdam/domain';
import type { OutboxItem, Payload } from './outbox.js';

/**
 * An outbox entry's payload (the library's form is described with `entryParts` in
 * packages/store/lua/base.lua): a catalogue reply `@name?args`, or a JSON object: an Outgoing
 * call, or one of the library's own, told apart by `k`:
 *   {k: 'copy', from, ids, group?, reply?, prot?, due}   copies of messages `ids` of chat `from`
 *   {k: 'edit', from, id, call}                           an edit of `from`'s message `id`
 *   {k: 'bc', bc, call}                                   a message of broadcast number `bc`
 * Ids are text (both engines keep them exact that way); `call` is an Outgoing call's JSON.
 */
export function encodePayload(payload: Payload): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/** The item of an entry, or null when it cannot be read (a bug or a foreign writer). */
export function decodeItem(raw: string): OutboxItem | null {
  if (raw.startsWith('@'))
    return parseReplyRef(raw) ? { kind: 'reply', ref: raw as ReplyRef } : null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (isOutgoing(value)) return { kind: 'call', call: value };
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  switch (e['k']) {
    case 'copy': {
      const ids = e['ids'];
      if (!isId(e['from']) || !Array.isArray(ids) || ids.length === 0 || !ids.every(isId)) {
        return null;
      }
      if (e['reply'] !== undefined && !isId(e['reply'])) return null;
      return {
        kind: 'copy',
        from: Number(e['from']),
        messageIds: ids.map(Number),
        replyTo: e['reply'] === undefined ? null : Number(e['reply']),
        protect: e['prot'] === true,
      };
    }
    case 'edit': {
      const call = callOf(e['call']);
      return isId(e['from']) && isId(e['id']) && call
        ? { kind: 'edit', from: Number(e['from']), messageId: Number(e['id']), call }
        : null;
    }
    case 'bc': {
      const call = callOf(e['call']);
      return call ? { kind: 'broadcast', call } : null;
    }
    default:
      return null;
  }
}

/** A chat or message id as the library writes it: an integer, as text. */
function isId(value: unknown): value is string {
  return typeof value === 'string' && /^-?\d{1,20}$/.test(value);
}

function callOf(json: unknown): Outgoing | null {
  if (typeof json !== 'string') return null;
  try {
    const call: unknown = JSON.parse(json);
    return isOutgoing(call) ? call : null;
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
