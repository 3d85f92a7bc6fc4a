import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import { Broadcaster } from '../broadcaster.js';
import { Upkeeper } from '../upkeeper.js';
import { PLUGINS } from './decorations.js';

/** Periodic work under the shared lease, and the broadcasts it carries on. */
export const upkeeperPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const logger = app.log as Logger;
    const broadcaster = new Broadcaster({
      state: app.state,
      database: app.database,
      logger,
      ratePerSec: config.sending.broadcastRatePerSec,
    });
    const upkeeper = new Upkeeper({
      state: app.state,
      api: app.botApi,
      broadcaster,
      metrics: app.metrics,
      logger,
      owner: `worker-${config.workerIndex}-${process.pid}`,
    });
    app.decorate('broadcaster', broadcaster);
    app.decorate('upkeeper', upkeeper);
    app.addHook('onReady', async () => upkeeper.start());
    app.addHook('onClose', () => upkeeper.stop());
  },
  {
    name: PLUGINS.upkeeper,
    dependencies: [PLUGINS.state, PLUGINS.database, PLUGINS.botApi, PLUGINS.metrics],
  },
);
