import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from './api-error.js';
import { RawJson, type MethodHandler } from './bot-method.js';
import { deleteMyCommands, getMyCommands, setMyCommands } from './bot-methods-commands.js';
import {
  answerCallbackQuery,
  deleteMessage,
  editMessageCaption,
  editMessageReplyMarkup,
  editMessageText,
} from './bot-methods-edit.js';
import { copyMessage, copyMessages, sendChatAction, sendMessage } from './bot-methods-send.js';
import {
  deleteWebhook,
  getMe,
  getUpdates,
  getWebhookInfo,
  setWebhook,
} from './bot-methods-updates.js';
import type { EmulatorState } from './emulator-state.js';
import { Params, toInteger } from './params.js';

const HANDLERS: Readonly<Record<string, MethodHandler>> = {
  getMe,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  getUpdates,
  sendMessage,
  copyMessage,
  copyMessages,
  sendChatAction,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  answerCallbackQuery,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
};

interface MethodEntry {
  readonly name: string;
  readonly handler: MethodHandler;
}

// Telegram method names are case-insensitive; a Map keeps "__proto__" and friends out.
const METHODS = new Map<string, MethodEntry>(
  Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

/** The canonical spelling of a Bot API method the emulator serves. */
export function canonicalMethod(name: string): string | undefined {
  return METHODS.get(name.toLowerCase())?.name;
}

export function isBotApiPath(url: string): boolean {
  return url.startsWith('/bot');
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.errorCode).type('application/json').send(JSON.stringify(error));
}

/** `GET|POST /bot<token>/<method>`. */
export function registerBotApi(app: FastifyInstance, state: EmulatorState): void {
  const expectedPrefix = `bot${state.options.token}`;
  app.route<{ Params: { prefix: string; method: string } }>({
    method: ['GET', 'POST'],
    url: '/:prefix/:method',
    handler: async (request, reply) => {
      const { prefix, method } = request.params;
      if (!prefix.startsWith('bot')) return reply.code(404).send({ error: 'Not Found' });
      if (prefix !== expectedPrefix) return sendApiError(reply, new ApiError(401, 'Unauthorized'));
      const entry = METHODS.get(method.toLowerCase());
      if (entry === undefined) return sendApiError(reply, new ApiError(404, 'Not Found'));
      state.stats.countCall(entry.name);
      const body = request.body;
      if (
        body !== undefined &&
        (typeof body !== 'object' || body === null || Array.isArray(body))
      ) {
        return sendApiError(
          reply,
          new ApiError(400, 'Bad Request: request body must be a JSON object or form fields'),
        );
      }
      const params = new Params({ ...(request.query as object), ...body });
      const late = () => (state.latencyMs > 0 ? sleep(state.latencyMs) : undefined);
      if (!state.latencyAfter) await late();
      if (state.faults.active > 0) {
        const fault = state.faults.take(entry.name, toInteger(params.peek('chat_id')));
        if (fault !== undefined) return sendApiError(reply, fault);
      }
      try {
        const result = await entry.handler(state, params);
        if (state.latencyAfter) await late();
        return reply.type('application/json').send(okBody(result));
      } catch (error) {
        if (error instanceof ApiError) return sendApiError(reply, error);
        state.options.logger?.error({ err: error, method: entry.name }, 'Bot API method failed');
        return sendApiError(reply, new ApiError(500, 'Internal Server Error'));
      }
    },
  });
}

function okBody(result: unknown): string {
  if (!(result instanceof RawJson)) return `{"ok":true,"result":${JSON.stringify(result)}}`;
  return result.description === undefined
    ? `{"ok":true,"result":${result.json}}`
    : `{"ok":true,"result":${result.json},"description":${JSON.stringify(result.description)}}`;
}
