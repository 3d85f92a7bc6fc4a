import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import {
  connectRedis,
  openEmbeddedStateStore,
  openRedisStateStore,
  type StateStore,
} from '@hamdam/store';
import { PLUGINS } from './decorations.js';

/** The shared state: Redis (or a Cluster) when configured, else the embedded engine. */
export const stateStorePlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const state = openStateStore(config, app.log as Logger, (seconds) =>
      app.metrics.redisDuration.observe(seconds),
    );
    app.decorate('state', state);
    app.addHook('onClose', () => state.close());
  },
  { name: PLUGINS.state, dependencies: [PLUGINS.metrics] },
);

export function openStateStore(
  config: Config,
  logger: Logger,
  observe?: (seconds: number) => void,
): StateStore {
  const limits = config.limits;
  const timing = observe ? { observe } : {};
  if (!config.redis.url) return openEmbeddedStateStore({ limits, ...timing });
  const client = connectRedis({
    url: config.redis.url,
    clusterNodes: config.redis.clusterNodes,
    onError: (message) => logger.warn({ err: message }, 'Redis connection error'),
  });
  return openRedisStateStore(client, {
    prefix: config.redis.prefix,
    limits,
    ...timing,
  });
}
