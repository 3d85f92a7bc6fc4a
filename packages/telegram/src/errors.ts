// Every error this package throws, with a stable code callers can match on without
// importing the classes (for logs and metrics labels). Three failures need three different
// reactions: Telegram said no (TelegramError: maybe wait, maybe give up on the chat), we
// never heard back (NetworkError: the request may or may not have been carried out), or
// something answered that is not the Bot API (ProtocolError: a proxy page, a broken
// emulator, a wrong apiRoot). None of them ever carries the bot token: the token is part of
// the request URL, so no message, cause or field here is built from the URL.

export const ERROR_CODES = {
  telegram: 'HAMDAM_ERR_TELEGRAM',
  network: 'HAMDAM_ERR_TELEGRAM_NETWORK',
  protocol: 'HAMDAM_ERR_TELEGRAM_PROTOCOL',
  closed: 'HAMDAM_ERR_TELEGRAM_CLOSED',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface TelegramErrorDetails {
  readonly errorCode: number;
  readonly description: string;
  readonly retryAfter?: number;
  readonly migrateToChatId?: number;
}

/** The Bot API answered `ok: false`. */
export class TelegramError extends Error {
  override readonly name = 'TelegramError';
  readonly code = ERROR_CODES.telegram;
  readonly method: string;
  readonly errorCode: number;
  readonly description: string;
  // `declare` so an absent value is an absent property, not an own `undefined`.
  /** Seconds to wait before the next request, from `parameters.retry_after` (429). */
  declare readonly retryAfter?: number;
  /** The group became a supergroup with this id, from `parameters.migrate_to_chat_id`. */
  declare readonly migrateToChatId?: number;

  constructor(method: string, details: TelegramErrorDetails) {
    super(`${method} failed: ${details.errorCode} ${details.description}`);
    this.method = method;
    this.errorCode = details.errorCode;
    this.description = details.description;
    if (details.retryAfter !== undefined) this.retryAfter = details.retryAfter;
    if (details.migrateToChatId !== undefined) this.migrateToChatId = details.migrateToChatId;
  }

  get isRateLimited(): boolean {
    return this.errorCode === 429;
  }

  /** The user blocked the bot or was deactivated: final for this chat, do not retry. */
  get isBlocked(): boolean {
    return this.errorCode === 403;
  }

  get isBadRequest(): boolean {
    return this.errorCode === 400;
  }

  /** An edit that would change nothing: the message already shows what it asked for. */
  get isNotModified(): boolean {
    return this.errorCode === 400 && /message is not modified/i.test(this.description);
  }
}

/**
 * No answer arrived: refused, reset, timed out, aborted mid-body. A send that fails this way
 * may still have been delivered, so a retry can duplicate a message.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly code = ERROR_CODES.network;
  readonly method: string;
  override readonly cause: Error;

  constructor(method: string, reason: string, cause: Error) {
    super(`${method} failed: ${reason}`, { cause });
    this.method = method;
    this.cause = cause;
  }
}

/** An answer arrived but it is not a Bot API answer. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code = ERROR_CODES.protocol;
  readonly method: string;
  /** HTTP status of the offending answer. */
  readonly statusCode: number;

  constructor(method: string, statusCode: number, problem: string) {
    super(`${method} failed: HTTP ${statusCode}, ${problem}`);
    this.method = method;
    this.statusCode = statusCode;
  }
}

/** A call was made after `close()`; a programming error, never worth retrying. */
export class BotApiClosedError extends Error {
  override readonly name = 'BotApiClosedError';
  readonly code = ERROR_CODES.closed;
  readonly method: string;

  constructor(method: string) {
    super(`${method} called after close()`);
    this.method = method;
  }
}
