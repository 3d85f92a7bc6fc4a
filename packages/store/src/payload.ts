import { isOutgoing } from '@hamdam/domain';
import { StoreCorruptError } from './errors.js';
import type { Payload } from './chat-store.js';

/** Outbox entries are strings: `@template` or the JSON of an Outgoing call. */
export function encodePayload(payload: Payload): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

export function decodePayload(raw: string): Payload {
  if (raw.startsWith('@')) return raw as `@${string}`;
  const parsed: unknown = JSON.parse(raw);
  if (!isOutgoing(parsed)) throw new StoreCorruptError('outbox entry is not an outgoing call');
  return parsed;
}

/** A say request carries one payload or several; both adapters walk them as a list. */
export function payloadList(payload: Payload | readonly Payload[]): readonly Payload[] {
  return isList(payload) ? payload : [payload];
}

function isList(payload: Payload | readonly Payload[]): payload is readonly Payload[] {
  return Array.isArray(payload);
}
