import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import { Dispatcher } from '../dispatcher.js';
import { PLUGINS } from './decorations.js';

/**
 * The outbox dispatcher: starts once the app is ready, and on close finishes the sends in
 * flight and acknowledges them before the store and the Bot API pool close (plugins close in
 * reverse order of registration).
 */
export const dispatcherPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const dispatcher = new Dispatcher({
      outbox: app.state.outbox,
      pairing: app.state.pairing,
      api: app.botApi,
      logger: app.log as Logger,
      metrics: app.metrics,
      concurrency: config.telegram.connections,
      leaseMs: config.sending.leaseMs,
      // One process (the embedded engine): every new entry wakes the dispatcher directly.
      pollMs: config.redis.url ? 50 : 1_000,
    });
    app.decorate('dispatcher', dispatcher);
    app.addHook('onReady', async () => dispatcher.start());
    app.addHook('onClose', () => dispatcher.stop());
  },
  { name: PLUGINS.dispatcher, dependencies: [PLUGINS.state, PLUGINS.botApi, PLUGINS.metrics] },
);
