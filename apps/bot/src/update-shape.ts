import type { Update } from 'telegraf/types';

/**
 * A structural check of what arrives on the webhook, before telegraf sees it. It checks the
 * fields the bot relies on; unknown update kinds pass (they are answered and ignored), so a
 * new Bot API feature never turns into a redelivery loop.
 */
export function checkUpdate(body: unknown): { update: Update } | { problem: string } {
  if (!isObject(body)) return { problem: 'body is not a JSON object' };
  const id = body['update_id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return { problem: 'update_id must be a non-negative integer' };
  }
  for (const kind of ['message', 'edited_message'] as const) {
    if (kind in body) {
      const m = body[kind];
      if (
        !isObject(m) ||
        !isInt(m['message_id']) ||
        !isObject(m['chat']) ||
        !isInt(m['chat']['id'])
      ) {
        return { problem: `${kind} must carry message_id and chat.id` };
      }
      if ('text' in m && typeof m['text'] !== 'string')
        return { problem: `${kind}.text must be a string` };
      if ('from' in m && (!isObject(m['from']) || !isInt(m['from']['id']))) {
        return { problem: `${kind}.from must carry an id` };
      }
    }
  }
  if ('callback_query' in body) {
    const q = body['callback_query'];
    if (
      !isObject(q) ||
      typeof q['id'] !== 'string' ||
      !isObject(q['from']) ||
      !isInt(q['from']['id'])
    ) {
      return { problem: 'callback_query must carry id and from.id' };
    }
  }
  if ('my_chat_member' in body) {
    const m = body['my_chat_member'];
    if (
      !isObject(m) ||
      !isObject(m['chat']) ||
      !isInt(m['chat']['id']) ||
      !isObject(m['new_chat_member']) ||
      typeof m['new_chat_member']['status'] !== 'string'
    ) {
      return { problem: 'my_chat_member must carry chat.id and new_chat_member.status' };
    }
  }
  return { update: body as unknown as Update };
}

/** The update's kind, for metrics: its one field besides update_id. */
export function updateType(update: Update): string {
  for (const key of Object.keys(update)) if (key !== 'update_id') return key;
  return 'empty';
}

function isObject(v: unknown): v is Record<string, Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v);
}
