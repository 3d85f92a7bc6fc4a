import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ApiError, ControlError } from './api-error.js';
import { isBotApiPath, registerBotApi, sendApiError } from './bot-api-routes.js';
import { registerControlApi } from './control-routes.js';
import { resolveOptions, type EmulatorOptions, type ResolvedOptions } from './emulator-options.js';
import { EmulatorState } from './emulator-state.js';
import { registerPlayground } from './playground-routes.js';

export interface Emulator {
  /** Starts the server; resolves to its base URL, e.g. http://127.0.0.1:41234. */
  listen(): Promise<string>;
  /** Stops webhook delivery, long polls, event streams and the server. */
  close(): Promise<void>;
  /** The base URL; only available once `listen()` has resolved. */
  readonly url: string;
}

export function createEmulator(options: EmulatorOptions): Emulator {
  return new EmulatorServer(resolveOptions(options));
}

class EmulatorServer implements Emulator {
  readonly #options: ResolvedOptions;
  readonly #state: EmulatorState;
  readonly #app: FastifyInstance;
  #url: string | undefined;
  #listening: Promise<string> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#state = new EmulatorState(options);
    this.#app = buildApp(this.#state);
  }

  get url(): string {
    if (this.#url === undefined)
      throw new Error('the emulator is not listening; await listen() first');
    return this.#url;
  }

  listen(): Promise<string> {
    if (this.#closing !== undefined) return Promise.reject(new Error('the emulator was closed'));
    this.#listening ??= this.#app
      .listen({ host: this.#options.host, port: this.#options.port })
      .then((address) => {
        this.#url = address;
        this.#options.logger?.info({ url: address }, 'Bot API emulator listening');
        return address;
      });
    return this.#listening;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Long polls and event streams would otherwise keep the server from closing.
      this.#state.close();
      await this.#app.close();
    })();
    return this.#closing;
  }
}

function buildApp(state: EmulatorState): FastifyInstance {
  const app = Fastify({
    logger: false,
    // Bot tokens are long path segments.
    routerOptions: { maxParamLength: 500 },
    bodyLimit: 16 * 1024 * 1024,
    forceCloseConnections: true,
    // HEAD on a Bot API method would run it for its side effects; Telegram has no HEAD either.
    exposeHeadRoutes: false,
    keepAliveTimeout: 75_000,
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // Some clients send an empty JSON body with parameterless methods; Telegram accepts it.
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(httpError(400, `invalid JSON body: ${(error as Error).message}`));
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      done(null, Object.fromEntries(new URLSearchParams(text)));
    },
  );
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => {
    done(
      httpError(
        400,
        'multipart/form-data (file uploads) is not supported by the emulator; send JSON or form fields',
      ),
    );
  });

  app.setErrorHandler((error: FastifyError | ApiError | ControlError, request, reply) => {
    if (error instanceof ControlError)
      return reply.code(error.statusCode).send({ error: error.message });
    const status = error instanceof ApiError ? error.errorCode : (error.statusCode ?? 500);
    if (status >= 500)
      state.options.logger?.error({ err: error, url: request.url }, 'request failed');
    const message = status >= 500 ? 'Internal Server Error' : error.message;
    if (isBotApiPath(request.url)) {
      const description =
        status === 400 && !message.startsWith('Bad Request') ? `Bad Request: ${message}` : message;
      return sendApiError(reply, new ApiError(status, description));
    }
    return reply.code(status).send({ error: message });
  });

  app.setNotFoundHandler((request, reply) => {
    if (isBotApiPath(request.url)) return sendApiError(reply, new ApiError(404, 'Not Found'));
    return reply.code(404).send({ error: 'Not Found' });
  });

  registerPlayground(app, state);
  registerControlApi(app, state);
  registerBotApi(app, state);
  return app;
}

function httpError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode });
}
