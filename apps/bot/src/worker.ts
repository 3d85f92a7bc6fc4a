import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import type { DatabaseHandle } from '@hamdam/db';
import { buildApp } from './app.js';
import type { Dispatcher } from './dispatcher.js';
import { listenOnSocket, stopTakingRequests } from './socket-listener.js';

export interface RunningWorker {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly dispatcher: Dispatcher;
  readonly database: DatabaseHandle;
  /**
   * Moves the journal (finished chats, profiles, moderation) to Postgres now instead of at the
   * next tick, once a schema migration under way has ended.
   */
  flushChats(): Promise<number>;
  /** Stops taking requests, finishes those in flight and the sends under way, then closes pools. */
  close(): Promise<void>;
}

/**
 * Boots one worker (see `buildApp`) and listens on `port` and, when given, on the Unix socket
 * `socketPath` too (nginx's door, see HTTP_SOCKET_DIR); a failed boot closes what it opened.
 */
export async function startWorker(
  config: Config,
  logger: Logger,
  port: number,
  socketPath: string | null = null,
): Promise<RunningWorker> {
  const app = buildApp(config, logger);
  let socket: Server | null = null;
  try {
    const url = await app.listen({ host: config.http.host, port });
    if (socketPath) socket = await listenOnSocket((req, res) => app.routing(req, res), socketPath);
    return {
      app,
      url,
      dispatcher: app.dispatcher,
      database: app.database,
      flushChats: async () => {
        await app.migration.settled();
        return app.flusher.flush();
      },
      close: async () => {
        // nginx's door first: the requests it already passed on finish before the app closes.
        if (socket) await stopTakingRequests(socket);
        await app.close();
      },
    };
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
}
