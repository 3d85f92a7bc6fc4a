/**
 * A Bot API call the bot owes a chat. The chat id is not part of `params`: the outbox keeps
 * one queue per chat and adds it at send time, so a call can be built before the script that
 * picks its recipient (a partner) has run.
 */
export type OutgoingMethod = (typeof OUTGOING_METHODS)[number];
export const OUTGOING_METHODS = [
  'sendMessage',
  'copyMessage',
  'copyMessages',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
  'deleteMessage',
  'answerCallbackQuery',
] as const;

/** Methods that address a callback query, not a chat: the outbox adds no chat_id to them. */
export const CHATLESS_METHODS: readonly OutgoingMethod[] = ['answerCallbackQuery'];

export interface Outgoing {
  readonly method: OutgoingMethod;
  readonly params: Readonly<Record<string, unknown>>;
}

export function isOutgoing(value: unknown): value is Outgoing {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { method?: unknown; params?: unknown };
  return (
    typeof v.method === 'string' &&
    (OUTGOING_METHODS as readonly string[]).includes(v.method) &&
    typeof v.params === 'object' &&
    v.params !== null
  );
}
