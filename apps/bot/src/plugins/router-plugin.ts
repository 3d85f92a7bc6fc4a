import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import { createRecall } from '../recall.js';
import { createRouter } from '../router.js';
import { PLUGINS } from './decorations.js';

/** telegraf, as a router only: it builds the context and picks the handler; it never sends. */
export const routerPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const botInfo = await app.botApi.getMe();
    app.decorate(
      'router',
      createRouter({
        token: config.telegram.token,
        botInfo,
        handlerTimeoutMs: config.webhook.handlerTimeoutMs,
        state: app.state,
        metrics: app.metrics,
        adminIds: new Set(config.adminIds),
        broadcaster: app.broadcaster,
        recall: createRecall({
          state: app.state,
          database: app.database,
          logger: app.log as Logger,
          ready: () => app.migration.done,
        }),
      }),
    );
  },
  {
    name: PLUGINS.router,
    dependencies: [
      PLUGINS.state,
      PLUGINS.database,
      PLUGINS.botApi,
      PLUGINS.metrics,
      PLUGINS.upkeeper,
    ],
  },
);
