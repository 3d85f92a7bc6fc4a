import {
  CATALOGUES,
  commandOf,
  parseAge,
  type Outgoing,
  type TextKey,
  type UserCommand,
} from '@hamdam/domain';
import type { Message } from '@hamdam/telegram';

/** A reply-keyboard button stands for the command it does. */
const BUTTON_COMMANDS = {
  'button.find': 'find',
  'button.next': 'next',
  'button.stop': 'stop',
  'button.cancel': 'stop',
  'button.settings': 'settings',
  'button.help': 'help',
  'button.report': 'report',
} as const satisfies Partial<Record<TextKey, UserCommand>>;

/** Each keyboard button's command, with the button's text in every language. */
export const BUTTON_TEXTS = Object.entries(BUTTON_COMMANDS).map(
  ([key, command]) =>
    [
      command,
      Object.values(CATALOGUES).map((c) => c[key as keyof typeof BUTTON_COMMANDS]),
    ] as const,
);

export interface RelayFields {
  readonly mediaGroup: string | null;
  readonly replyTo: number | null;
  readonly ageAnswer: number | 'bad' | null;
  readonly unknownCommand: boolean;
  readonly refused: boolean;
}

/** A command's arguments: the text after its first word. */
export function argsOf(text: string): string {
  return text.replace(/^\S+\s*/, '').trim();
}

/**
 * Forwarded: `forward_origin` since Bot API 7.0, `forward_date` before it. A forwarded "/ban 123"
 * is someone else's words, not the sender's order, so a forward is never a command.
 */
export function isForwarded(message: Message): boolean {
  return 'forward_origin' in message || 'forward_date' in message;
}

/**
 * A message for the partner: what the relay step needs to know of it. A text that starts like
 * a command but is none of the bot's ("/etc/hosts is…", or /stats from a non-admin) is marked
 * an unknown command; a forwarded text is neither a command nor an answer to a question.
 */
export function relayOf(message: Message, botUsername: string): RelayFields {
  const text = 'text' in message && !isForwarded(message) ? message.text : null;
  const command = text !== null && startsWithCommand(message) ? commandOf(text, botUsername) : null;
  return relayFields(message, text, command !== null);
}

/**
 * Telegram marks a typed command with a bot_command entity at offset 0; the text alone is not
 * enough. As telegraf's `command` does, only the first entity is looked at.
 */
function startsWithCommand(message: Message): boolean {
  const first = 'entities' in message ? message.entities?.[0] : undefined;
  return first?.type === 'bot_command' && first.offset === 0;
}

function relayFields(message: Message, text: string | null, unknownCommand: boolean): RelayFields {
  const m = message as Message & {
    media_group_id?: string;
    reply_to_message?: { message_id: number };
    contact?: unknown;
  };
  return {
    mediaGroup: m.media_group_id ?? null,
    replyTo: m.reply_to_message?.message_id ?? null,
    ageAnswer: text === null || unknownCommand ? null : (parseAge(text) ?? 'bad'),
    unknownCommand,
    // A contact shows a name and a phone number, maybe the sender's own: never passed on.
    refused: m.contact !== undefined,
  };
}

/** The edit to mirror for an edited message: its new text or caption; null for other edits. */
export function editOf(message: Message): Outgoing | null {
  const m = message as Message & {
    text?: string;
    entities?: unknown[];
    caption?: string;
    caption_entities?: unknown[];
  };
  if (typeof m.text === 'string') {
    return {
      method: 'editMessageText',
      params: m.entities ? { text: m.text, entities: m.entities } : { text: m.text },
    };
  }
  if (typeof m.caption === 'string') {
    return {
      method: 'editMessageCaption',
      params: m.caption_entities
        ? { caption: m.caption, caption_entities: m.caption_entities }
        : { caption: m.caption },
    };
  }
  return null;
}
