/**
 * The JSON schema of a webhook body: the fields the bot relies on, checked before telegraf sees
 * the update. Unknown update kinds and unknown fields pass (they are answered and ignored), so
 * a new Bot API feature never turns into a redelivery loop.
 */
const id = { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
const withId = { type: 'object', required: ['id'], properties: { id } };

const message = {
  type: 'object',
  required: ['message_id', 'chat'],
  properties: { message_id: id, chat: withId, from: withId, text: { type: 'string' } },
};

export const UPDATE_SCHEMA = {
  type: 'object',
  required: ['update_id'],
  properties: {
    update_id: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    message,
    edited_message: message,
    callback_query: {
      type: 'object',
      required: ['id', 'from'],
      properties: { id: { type: 'string' }, from: withId, data: { type: 'string' } },
    },
    my_chat_member: {
      type: 'object',
      required: ['chat', 'new_chat_member'],
      properties: {
        chat: withId,
        new_chat_member: {
          type: 'object',
          required: ['status'],
          properties: { status: { type: 'string' } },
        },
      },
    },
  },
} as const;

/** The update kinds hamdam handles; anything else is counted as `other` (a bounded label). */
export const UPDATE_TYPES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
] as const;
export type UpdateTypeLabel = (typeof UPDATE_TYPES)[number] | 'other';

/** The update's kind, for metrics, from a fixed list: a label never grows with odd input. */
export function updateType(update: object): UpdateTypeLabel {
  for (const kind of UPDATE_TYPES) if (kind in update) return kind;
  return 'other';
}
