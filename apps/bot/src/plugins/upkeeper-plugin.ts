import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import { Broadcaster } from '../broadcaster.js';
import { Retention } from '../retention.js';
import { Upkeeper } from '../upkeeper.js';
import { PLUGINS } from './decorations.js';

/** Periodic work under the shared lease, with the broadcasts and retention it carries on. */
export const upkeeperPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const logger = app.log as Logger;
    const broadcaster = new Broadcaster({
      state: app.state,
      database: app.database,
      logger,
      ratePerSec: config.sending.broadcastRatePerSec,
    });
    const retention = new Retention({
      database: app.database,
      logger,
      days: config.database.retentionDays,
    });
    const upkeeper = new Upkeeper({
      state: app.state,
      api: app.botApi,
      broadcaster,
      retention,
      metrics: app.metrics,
      logger,
      owner: `worker-${config.workerIndex}-${process.pid}`,
    });
    app.decorate('broadcaster', broadcaster);
    app.decorate('retention', retention);
    app.decorate('upkeeper', upkeeper);
    app.addHook('onReady', async () => upkeeper.start());
    app.addHook('onClose', () => upkeeper.stop());
  },
  {
    name: PLUGINS.upkeeper,
    dependencies: [PLUGINS.state, PLUGINS.database, PLUGINS.botApi, PLUGINS.metrics],
  },
);
