import type { Outgoing, OutgoingMethod } from '@hamdam/domain';
import type { BotApi, CallOptions, Opts, Ret } from '@hamdam/telegram';

type Sender<M extends OutgoingMethod> = (
  api: BotApi,
  params: Opts<M>,
  options?: CallOptions,
) => Promise<Ret<M>>;

/**
 * The typed BotApi method behind each method the outbox carries. A method added to
 * OUTGOING_METHODS does not compile until it has its line here, so nothing is sent by name.
 */
const SENDERS: { readonly [M in OutgoingMethod]: Sender<M> } = {
  sendMessage: (api, params, options) => api.sendMessage(params, options),
  copyMessage: (api, params, options) => api.copyMessage(params, options),
  copyMessages: (api, params, options) => api.copyMessages(params, options),
  editMessageText: (api, params, options) => api.editMessageText(params, options),
  editMessageCaption: (api, params, options) => api.editMessageCaption(params, options),
  editMessageReplyMarkup: (api, params, options) => api.editMessageReplyMarkup(params, options),
  deleteMessage: (api, params, options) => api.deleteMessage(params, options),
  answerCallbackQuery: (api, params, options) => api.answerCallbackQuery(params, options),
};

/**
 * Sends one outbox call through its typed method. The parameters are the domain's plain JSON
 * as the store kept it, addressed by renderEntry: their shape is the domain's promise, checked
 * by Telegram; the answer is checked here, by the method's own result check.
 */
export function sendOutgoing(
  api: BotApi,
  call: Outgoing,
  options?: CallOptions,
): Promise<Ret<OutgoingMethod>> {
  return send(api, call.method, call.params as Opts<OutgoingMethod>, options);
}

function send<M extends OutgoingMethod>(
  api: BotApi,
  method: M,
  params: Opts<M>,
  options?: CallOptions,
): Promise<Ret<M>> {
  return SENDERS[method](api, params, options);
}
