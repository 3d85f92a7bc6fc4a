import { ProtocolError, TelegramError, type TelegramErrorDetails } from './errors.js';
import type {
  BotCommand,
  Message,
  MessageId,
  UserFromGetMe,
  WebhookInfo,
} from './telegram-types.js';

// Turns the raw HTTP answer into the `result` or the right error. The status code alone
// decides nothing: Telegram sends `ok:false` bodies with a matching 4xx, but a proxy in
// front of it (or a gateway timing out) sends 5xx HTML, and only the body says which.

export function parseAnswer(
  method: string,
  statusCode: number,
  body: string,
  token: string,
): unknown {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    throw new ProtocolError(method, statusCode, 'answer is not JSON');
  }
  if (!isRecord(answer) || typeof answer['ok'] !== 'boolean') {
    throw new ProtocolError(method, statusCode, 'answer has no boolean "ok"');
  }
  if (answer['ok']) {
    if (!('result' in answer) || answer['result'] === undefined) {
      throw new ProtocolError(method, statusCode, 'answer is ok but has no "result"');
    }
    return answer['result'];
  }
  throw new TelegramError(method, errorDetails(method, statusCode, answer, token));
}

function errorDetails(
  method: string,
  statusCode: number,
  answer: Record<string, unknown>,
  token: string,
): TelegramErrorDetails {
  const errorCode = answer['error_code'];
  const description = answer['description'];
  if (!Number.isInteger(errorCode) || typeof description !== 'string') {
    throw new ProtocolError(method, statusCode, 'error answer lacks error_code or description');
  }
  const details: { -readonly [K in keyof TelegramErrorDetails]: TelegramErrorDetails[K] } = {
    errorCode: errorCode as number,
    // Telegram never quotes the request path, but an emulator or proxy might.
    description: description.replaceAll(token, '<token>'),
  };
  const parameters = answer['parameters'];
  if (isRecord(parameters)) {
    const retryAfter = parameters['retry_after'];
    if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
      details.retryAfter = retryAfter;
    }
    const migrateTo = parameters['migrate_to_chat_id'];
    if (Number.isSafeInteger(migrateTo)) details.migrateToChatId = migrateTo as number;
  }
  return details;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Result checks for the typed helpers. They look only at what callers are about to touch
// (ids, the `true` of void methods) so a wrong answer fails here, named, instead of as an
// undefined deep inside the dispatcher.

export type ResultCheck<T> = (result: unknown) => result is T;

export function isTrue(result: unknown): result is true {
  return result === true;
}

/** `M` names the Message variant the method promises; only the ids are checked. */
export function isMessage<M = Message>(result: unknown): result is M {
  return (
    isRecord(result) &&
    Number.isInteger(result['message_id']) &&
    isRecord(result['chat']) &&
    Number.isSafeInteger(result['chat']['id'])
  );
}

export function isMessageOrTrue<M = Message | true>(result: unknown): result is M {
  return result === true || isMessage(result);
}

export function isMessageId(result: unknown): result is MessageId {
  return isRecord(result) && Number.isInteger(result['message_id']);
}

export function isMessageIdList(result: unknown): result is MessageId[] {
  return Array.isArray(result) && result.every(isMessageId);
}

export function isUser(result: unknown): result is UserFromGetMe {
  return (
    isRecord(result) && Number.isSafeInteger(result['id']) && typeof result['is_bot'] === 'boolean'
  );
}

export function isBotCommandList(result: unknown): result is BotCommand[] {
  return (
    Array.isArray(result) &&
    result.every(
      (c) =>
        isRecord(c) && typeof c['command'] === 'string' && typeof c['description'] === 'string',
    )
  );
}

export function isWebhookInfo(result: unknown): result is WebhookInfo {
  return (
    isRecord(result) &&
    typeof result['url'] === 'string' &&
    Number.isInteger(result['pending_update_count'])
  );
}
