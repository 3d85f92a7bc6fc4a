import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import './plugins/decorations.js';
import { botApiPlugin } from './plugins/bot-api-plugin.js';
import { commandMenuPlugin } from './plugins/command-menu-plugin.js';
import { databasePlugin } from './plugins/database-plugin.js';
import { dispatcherPlugin } from './plugins/dispatcher-plugin.js';
import { journalFlusherPlugin } from './plugins/journal-flusher-plugin.js';
import { metricsPlugin } from './plugins/metrics-plugin.js';
import { routerPlugin } from './plugins/router-plugin.js';
import { stateStorePlugin } from './plugins/state-store-plugin.js';
import { upkeeperPlugin } from './plugins/upkeeper-plugin.js';
import { healthRoutes } from './routes/health-routes.js';
import { webhookRoute } from './routes/webhook-route.js';
import { HTTP_TIMEOUTS } from './socket-listener.js';

/** A fastify instance with the worker's HTTP settings, and nothing registered yet. */
export function createServer(logger: Logger): FastifyInstance {
  return Fastify({
    // Without the widening, fastify infers its instance type from pino's Logger, which then
    // fails to match FastifyInstance under exactOptionalPropertyTypes.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger as FastifyBaseLogger,
    // One log line per update at 1,000+ updates/s is noise; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    // Telegram gives up on a request after 60 s; nginx keeps idle connections for less.
    ...HTTP_TIMEOUTS,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Bodies are checked as they come: no type coercion ("5" is not an update id) and nothing
    // removed, so the schema gives the answers a hand-written check would.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
}

/**
 * The worker as a tree of plugins, in boot order: external resources (state store, database,
 * Bot API), then services on them (dispatcher, journal flusher, periodic work, router), then
 * routes. Each
 * resource closes itself, in reverse order, when the app closes. Not listening yet.
 */
export function buildApp(config: Config, logger: Logger): FastifyInstance {
  const app = createServer(logger);
  void app
    .register(metricsPlugin, { restartsBefore: config.workerRestarts })
    .register(stateStorePlugin, { config })
    .register(databasePlugin, { config })
    .register(botApiPlugin, { config })
    .register(dispatcherPlugin, { config })
    .register(journalFlusherPlugin, { config })
    .register(upkeeperPlugin, { config })
    .register(routerPlugin, { config })
    .register(commandMenuPlugin, { config })
    .register(webhookRoute, {
      ...config.webhook,
      onHandled: () => app.dispatcher.wake(),
    })
    .register(healthRoutes, {
      // Ready on Redis alone: relaying needs nothing else. Postgres is reported, not required.
      readiness: { redis: () => app.state.ping() },
      informational: {
        postgres: async () => {
          await app.database.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
          return app.migration.done ? 'ok' : 'schema pending';
        },
      },
    });
  return app;
}
