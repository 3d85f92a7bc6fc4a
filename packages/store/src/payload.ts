import { isOutgoing, parseReplyRef, replyRef } from '@hamdam/domain';
import type { Payload } from './outbox.js';

/** Outbox entries are strings: `@name` of a catalogue reply, or the JSON of an Outgoing call. */
export function encodePayload(payload: Payload): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/** The payload of an entry, or null when it cannot be read (a bug or a foreign writer). */
export function decodePayload(raw: string): Payload | null {
  if (raw.startsWith('@')) {
    const name = parseReplyRef(raw);
    return name === null ? null : replyRef(name);
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    return isOutgoing(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** A say request carries one payload or several; both are walked as a list. */
export function payloadList(payload: Payload | readonly Payload[]): readonly Payload[] {
  return isList(payload) ? payload : [payload];
}

function isList(payload: Payload | readonly Payload[]): payload is readonly Payload[] {
  return Array.isArray(payload);
}
