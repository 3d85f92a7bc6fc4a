import { CHATLESS_METHODS, renderReply, type Outgoing } from '@hamdam/domain';
import type { Claimed } from '@hamdam/store';

/**
 * The Bot API call an outbox entry stands for, addressed to its chat: a catalogue reply in the
 * recipient's language, a copy (one message, or an album with copyMessages) as a reply where
 * the original was one, an edit of the copy it targets. Null when there is nothing to send: an
 * unreadable entry, or an edit whose copy cannot be found.
 */
export function renderEntry(entry: Claimed): Outgoing | null {
  const item = entry.item;
  if (!item) return null;
  const to = (call: Outgoing): Outgoing =>
    CHATLESS_METHODS.includes(call.method)
      ? call
      : { ...call, params: { ...call.params, chat_id: entry.chatId } };
  switch (item.kind) {
    case 'reply': {
      const call = renderReply(item.ref, entry.lang);
      return call && to(call);
    }
    case 'call':
    case 'broadcast':
      return to(item.call);
    case 'copy': {
      const protect = item.protect ? { protect_content: true } : {};
      if (item.messageIds.length > 1) {
        return to({
          method: 'copyMessages',
          params: { from_chat_id: item.from, message_ids: item.messageIds, ...protect },
        });
      }
      const reply =
        entry.resolvedId === null
          ? {}
          : {
              reply_parameters: { message_id: entry.resolvedId, allow_sending_without_reply: true },
            };
      return to({
        method: 'copyMessage',
        params: { from_chat_id: item.from, message_id: item.messageIds[0], ...protect, ...reply },
      });
    }
    case 'edit':
      return entry.resolvedId === null
        ? null
        : to({
            method: item.call.method,
            params: { ...item.call.params, message_id: entry.resolvedId },
          });
  }
}

/** Where the copies of a copy entry landed, from the Bot API's answer: source and copy ids. */
export function landedCopies(entry: Claimed, answer: unknown): [number, number][] {
  if (entry.item?.kind !== 'copy') return [];
  const ids = entry.item.messageIds;
  const copies = Array.isArray(answer) ? answer : [answer];
  const out: [number, number][] = [];
  copies.forEach((copy, i) => {
    const id = (copy as { message_id?: unknown } | null)?.message_id;
    if (typeof id === 'number' && ids[i] !== undefined) out.push([ids[i], id]);
  });
  return out;
}
