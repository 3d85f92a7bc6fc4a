import {
  ADMIN_COMMANDS,
  USER_COMMANDS,
  buttonKey,
  commandOf,
  parseAge,
  type AdminCommand,
  type Outgoing,
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
} as const satisfies Record<string, UserCommand>;

/** What a message asks of the bot. */
export type Incoming =
  | { readonly kind: 'command'; readonly command: UserCommand; readonly args: string }
  | { readonly kind: 'admin'; readonly command: AdminCommand; readonly args: string }
  | { readonly kind: 'message'; readonly relay: RelayFields };

export interface RelayFields {
  readonly mediaGroup: string | null;
  readonly replyTo: number | null;
  readonly ageAnswer: number | 'bad' | null;
  readonly unknownCommand: boolean;
  readonly refused: boolean;
}

/**
 * Sorts a message: one of the bot's commands (typed, or a keyboard button in any language), an
 * admin command from an admin, or a message for the partner. A text that starts like a command
 * but is none of the bot's ("/etc/hosts is…", or /stats from a non-admin) is a message, and so
 * is anything forwarded: a forwarded "/ban 123" is someone else's words, not the sender's order.
 */
export function classify(message: Message, botUsername: string, isAdmin: boolean): Incoming {
  const text = 'text' in message ? message.text : null;
  if (text !== null && !isForwarded(message)) {
    const button = buttonKey(text);
    if (button !== null && button in BUTTON_COMMANDS) {
      return {
        kind: 'command',
        command: BUTTON_COMMANDS[button as keyof typeof BUTTON_COMMANDS],
        args: '',
      };
    }
    const command = startsWithCommand(message) ? commandOf(text, botUsername) : null;
    const args = command === null ? '' : text.replace(/^\S+\s*/, '').trim();
    if (command !== null && (USER_COMMANDS as readonly string[]).includes(command)) {
      return { kind: 'command', command: command as UserCommand, args };
    }
    if (command !== null && isAdmin && (ADMIN_COMMANDS as readonly string[]).includes(command)) {
      return { kind: 'admin', command: command as AdminCommand, args };
    }
    return { kind: 'message', relay: relayFields(message, text, command !== null) };
  }
  return { kind: 'message', relay: relayFields(message, null, false) };
}

/** Forwarded: `forward_origin` since Bot API 7.0, `forward_date` before it. */
function isForwarded(message: Message): boolean {
  return 'forward_origin' in message || 'forward_date' in message;
}

/** Telegram marks a typed command with a bot_command entity at offset 0; the text alone is not enough. */
function startsWithCommand(message: Message): boolean {
  const entities = 'entities' in message ? message.entities : undefined;
  return entities?.some((e) => e.type === 'bot_command' && e.offset === 0) ?? false;
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
