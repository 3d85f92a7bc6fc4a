import { badRequest } from './api-error.js';
import { MAX_MESSAGE_ID } from './bot-method.js';
import type { EmulatorState } from './emulator-state.js';
import { asReplyTarget, type ReplyTarget } from './message-builder.js';
import { toInteger, type Params } from './params.js';
import { isRecord } from './reply-markup.js';
import type { UserRecord } from './user-directory.js';

const PARSE_ERROR = (): ReturnType<typeof badRequest> =>
  badRequest("can't parse reply parameters JSON object");

/**
 * `reply_parameters` (or the older `reply_to_message_id` and `allow_sending_without_reply`)
 * resolved in the target chat, as Telegram does: the replied-to message is embedded as
 * `reply_to_message`; a missing one fails with "message to be replied not found" unless
 * `allow_sending_without_reply` is set, and then the message is sent as no reply.
 */
export function readReplyTarget(
  state: EmulatorState,
  params: Params,
  chat: UserRecord,
): { replyTo?: ReplyTarget } {
  const raw = params.optionalJson('reply_parameters', PARSE_ERROR);
  let messageId: number | undefined;
  let allowMissing = params.optionalBool('allow_sending_without_reply') === true;
  if (raw !== undefined) {
    if (!isRecord(raw)) throw PARSE_ERROR();
    messageId = toInteger(raw['message_id']);
    if (messageId === undefined) throw badRequest('message_id in reply_parameters is required');
    const allow = raw['allow_sending_without_reply'];
    if (allow !== undefined && typeof allow !== 'boolean') throw PARSE_ERROR();
    allowMissing = allow === true;
    const chatId = raw['chat_id'];
    if (chatId !== undefined && toInteger(chatId) !== chat.chat.id) {
      // Telegram answers such replies with `external_reply`; hamdam only replies within a chat.
      if (state.users.get(toInteger(chatId) ?? Number.NaN) === undefined)
        throw badRequest('chat not found');
      throw badRequest('replies to a message in another chat are not emulated');
    }
  } else {
    messageId = params.optionalInt('reply_to_message_id', 1, MAX_MESSAGE_ID);
    if (messageId === undefined) return {};
  }
  const target = chat.log.find(messageId);
  if (target !== undefined) return { replyTo: asReplyTarget(target.message) };
  if (allowMissing) return {};
  throw badRequest('message to be replied not found');
}
