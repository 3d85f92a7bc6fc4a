import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import type { DatabaseHandle } from '@hamdam/db';
import { buildApp } from './app.js';
import { ChatFlusher } from './chat-flusher.js';
import { Dispatcher } from './dispatcher.js';
import { Metrics } from './metrics.js';
import { openResources } from './resources.js';
import { createRouter } from './router.js';

export interface RunningWorker {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly dispatcher: Dispatcher;
  readonly database: DatabaseHandle;
  /** Moves finished chats to Postgres now instead of at the next tick. */
  flushChats(): Promise<number>;
  /** Stops taking requests, finishes those in flight and the sends under way, then closes pools. */
  close(): Promise<void>;
}

/** Boots one worker: resources, then services, then routes; then listens. */
export async function startWorker(
  config: Config,
  logger: Logger,
  port: number,
): Promise<RunningWorker> {
  const resources = await openResources(config, logger);
  try {
    const botInfo = await resources.api.getMe();
    const metrics = new Metrics(() => resources.database.poolStats());
    const router = createRouter({
      token: config.telegram.token,
      botInfo,
      handlerTimeoutMs: config.webhook.handlerTimeoutMs,
      store: resources.store,
      users: resources.users,
    });
    const dispatcher = new Dispatcher({
      store: resources.store,
      api: resources.api,
      logger,
      metrics,
      concurrency: config.telegram.connections,
      leaseMs: config.sending.leaseMs,
    });
    const app = buildApp({
      logger,
      metrics,
      router,
      webhook: config.webhook,
      readiness: {
        store: () => resources.store.ping(),
        database: async () => {
          await resources.database.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
        },
      },
      onHandled: () => dispatcher.wake(),
    });
    const flusher = new ChatFlusher({
      store: resources.store,
      database: resources.database,
      logger,
    });
    app.addHook('onClose', async () => {
      await dispatcher.stop();
      await flusher.stop();
      await resources.close();
    });
    const url = await app.listen({ host: config.http.host, port });
    dispatcher.start();
    flusher.start();
    return {
      app,
      url,
      dispatcher,
      database: resources.database,
      flushChats: () => flusher.flush(),
      close: () => app.close(),
    };
  } catch (err) {
    await resources.close();
    throw err;
  }
}
