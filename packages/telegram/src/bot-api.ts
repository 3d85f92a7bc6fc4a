import { Pool } from 'undici';
import type { Readable } from 'node:stream';
import { BotApiClosedError, NetworkError, ProtocolError } from './errors.js';
import {
  isBotCommandList,
  isMessage,
  isMessageId,
  isMessageIdList,
  isMessageOrTrue,
  isTrue,
  isUser,
  isWebhookInfo,
  parseAnswer,
  type ResultCheck,
} from './parse-answer.js';
import { redactError } from './redact-error.js';
import type { MethodName, Opts, Ret } from './telegram-types.js';

export interface BotApiOptions {
  readonly token: string;
  /** Default https://api.telegram.org; http:// (a local emulator) and a path prefix work too. */
  readonly apiRoot?: string;
  /** Upper bound on open keep-alive connections to apiRoot. Default 64. */
  readonly connections?: number;
  /** Whole-request budget: connect, send, headers and body. Default 10 000. */
  readonly timeoutMs?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

// Bot API answers for the methods we call are a few KiB; anything near this is not Telegram.
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
// Real tokens are `<digits>:<base64url>`; emulators use short words. Anything else (a slash,
// whitespace, a query) would change the URL's meaning, so it is refused up front.
const TOKEN_PATTERN = /^[A-Za-z0-9:_-]+$/;

interface Answer {
  readonly statusCode: number;
  readonly result: unknown;
}

/** The outgoing Bot API client: one keep-alive undici pool, JSON POSTs, typed errors. */
export class BotApi {
  readonly #token: string;
  readonly #pathPrefix: string;
  readonly #timeoutMs: number;
  readonly #pool: Pool;
  #closed = false;

  constructor(options: BotApiOptions) {
    const { token, apiRoot = 'https://api.telegram.org', connections = 64 } = options;
    const timeoutMs = options.timeoutMs ?? 10_000;
    // The messages below never echo the token, not even a part of it.
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) {
      throw new TypeError('BotApi: token is empty or contains characters a token cannot have');
    }
    let root: URL;
    try {
      root = new URL(apiRoot);
    } catch {
      throw new TypeError(`BotApi: apiRoot ${JSON.stringify(apiRoot)} is not a URL`);
    }
    if (root.protocol !== 'http:' && root.protocol !== 'https:') {
      throw new TypeError(`BotApi: apiRoot must be http:// or https://, got ${root.protocol}`);
    }
    if (root.search !== '' || root.hash !== '' || root.username !== '' || root.password !== '') {
      throw new TypeError('BotApi: apiRoot must not carry credentials, a query or a fragment');
    }
    if (!Number.isInteger(connections) || connections < 1) {
      throw new TypeError('BotApi: connections must be a positive integer');
    }
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError('BotApi: timeoutMs must be a positive number');
    }
    this.#token = token;
    this.#pathPrefix = root.pathname.replace(/\/+$/, '');
    this.#timeoutMs = timeoutMs;
    this.#pool = new Pool(root.origin, {
      connections,
      connectTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  // One method per Bot API method the project calls, typed with @telegraf/types'
  // `Opts<'method'>` and `Ret<'method'>`; there is no call by name. Each result is checked
  // for the shape callers are about to rely on. Throws TelegramError, NetworkError or
  // ProtocolError; if `options.signal` aborts, rejects with its reason.

  getMe(options?: CallOptions): Promise<Ret<'getMe'>> {
    return this.#checked('getMe', {}, isUser, options);
  }

  setWebhook(params: Opts<'setWebhook'>, options?: CallOptions): Promise<Ret<'setWebhook'>> {
    return this.#checked('setWebhook', params, isTrue, options);
  }

  deleteWebhook(
    params: Opts<'deleteWebhook'> = {},
    options?: CallOptions,
  ): Promise<Ret<'deleteWebhook'>> {
    return this.#checked('deleteWebhook', params, isTrue, options);
  }

  getWebhookInfo(options?: CallOptions): Promise<Ret<'getWebhookInfo'>> {
    return this.#checked('getWebhookInfo', {}, isWebhookInfo, options);
  }

  setMyCommands(
    params: Opts<'setMyCommands'>,
    options?: CallOptions,
  ): Promise<Ret<'setMyCommands'>> {
    return this.#checked('setMyCommands', params, isTrue, options);
  }

  getMyCommands(
    params: Opts<'getMyCommands'> = {},
    options?: CallOptions,
  ): Promise<Ret<'getMyCommands'>> {
    return this.#checked('getMyCommands', params, isBotCommandList, options);
  }

  deleteMyCommands(
    params: Opts<'deleteMyCommands'> = {},
    options?: CallOptions,
  ): Promise<Ret<'deleteMyCommands'>> {
    return this.#checked('deleteMyCommands', params, isTrue, options);
  }

  sendMessage(params: Opts<'sendMessage'>, options?: CallOptions): Promise<Ret<'sendMessage'>> {
    return this.#checked('sendMessage', params, isMessage<Ret<'sendMessage'>>, options);
  }

  copyMessage(params: Opts<'copyMessage'>, options?: CallOptions): Promise<Ret<'copyMessage'>> {
    return this.#checked('copyMessage', params, isMessageId, options);
  }

  /** Album grouping is kept for the copies; ids of messages that could not be copied are skipped. */
  copyMessages(params: Opts<'copyMessages'>, options?: CallOptions): Promise<Ret<'copyMessages'>> {
    return this.#checked('copyMessages', params, isMessageIdList, options);
  }

  /** Resolves to the edited Message, or `true` for messages sent via inline mode. */
  editMessageText(
    params: Opts<'editMessageText'>,
    options?: CallOptions,
  ): Promise<Ret<'editMessageText'>> {
    return this.#checked(
      'editMessageText',
      params,
      isMessageOrTrue<Ret<'editMessageText'>>,
      options,
    );
  }

  /** Resolves to the edited Message, or `true` for messages sent via inline mode. */
  editMessageCaption(
    params: Opts<'editMessageCaption'>,
    options?: CallOptions,
  ): Promise<Ret<'editMessageCaption'>> {
    return this.#checked(
      'editMessageCaption',
      params,
      isMessageOrTrue<Ret<'editMessageCaption'>>,
      options,
    );
  }

  editMessageReplyMarkup(
    params: Opts<'editMessageReplyMarkup'>,
    options?: CallOptions,
  ): Promise<Ret<'editMessageReplyMarkup'>> {
    return this.#checked(
      'editMessageReplyMarkup',
      params,
      isMessageOrTrue<Ret<'editMessageReplyMarkup'>>,
      options,
    );
  }

  answerCallbackQuery(
    params: Opts<'answerCallbackQuery'>,
    options?: CallOptions,
  ): Promise<Ret<'answerCallbackQuery'>> {
    return this.#checked('answerCallbackQuery', params, isTrue, options);
  }

  deleteMessage(
    params: Opts<'deleteMessage'>,
    options?: CallOptions,
  ): Promise<Ret<'deleteMessage'>> {
    return this.#checked('deleteMessage', params, isTrue, options);
  }

  sendChatAction(
    params: Opts<'sendChatAction'>,
    options?: CallOptions,
  ): Promise<Ret<'sendChatAction'>> {
    return this.#checked('sendChatAction', params, isTrue, options);
  }

  /** Waits for requests in flight, then closes every connection. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.close();
  }

  /** The one transport under every method: the method's name, parameters and result check agree. */
  async #checked<M extends MethodName>(
    method: M,
    params: Opts<M>,
    check: ResultCheck<Ret<M>>,
    options: CallOptions = {},
  ): Promise<Ret<M>> {
    const { statusCode, result } = await this.#send(method, params, options);
    if (!check(result)) {
      throw new ProtocolError(method, statusCode, 'result does not have the expected shape');
    }
    return result;
  }

  async #send(method: MethodName, params: object, options: CallOptions): Promise<Answer> {
    if (this.#closed) throw new BotApiClosedError(method);
    const callerSignal = options.signal;
    callerSignal?.throwIfAborted();
    const body = JSON.stringify(params);

    // One controller carries both the caller's abort and our own deadline, with the timer
    // and listener removed as soon as the call settles (AbortSignal.timeout/any would keep
    // them alive until they fire, one set per message sent).
    const controller = new AbortController();
    const timedOut = new Error(`no answer within ${this.#timeoutMs} ms`);
    timedOut.name = 'TimeoutError';
    const timer = setTimeout(() => controller.abort(timedOut), this.#timeoutMs);
    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

    let statusCode: number;
    let text: string | undefined;
    try {
      const response = await this.#pool.request({
        path: `${this.#pathPrefix}/bot${this.#token}/${method}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: controller.signal,
      });
      statusCode = response.statusCode;
      text = await readCapped(response.body, MAX_ANSWER_BYTES);
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (controller.signal.aborted && controller.signal.reason === timedOut) {
        throw new NetworkError(method, timedOut.message, timedOut);
      }
      const cause = redactError(error, this.#token);
      const code = (cause as { code?: unknown }).code;
      const reason = typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
      throw new NetworkError(method, reason, cause);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
    if (text === undefined) {
      throw new ProtocolError(
        method,
        statusCode,
        `answer is larger than ${MAX_ANSWER_BYTES} bytes`,
      );
    }
    return { statusCode, result: parseAnswer(method, statusCode, text, this.#token) };
  }
}

/** Reads a body as UTF-8, or gives up (and frees the socket) past `limit` bytes. */
async function readCapped(body: Readable, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
