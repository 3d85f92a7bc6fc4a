import fp from 'fastify-plugin';
import { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import {
  openEmbeddedStateStore,
  openRedisStateStore,
  type RedisClient,
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
  const { chatRatePerSec, chatBurst, globalRatePerSec, globalBurst } = config.sending;
  const r = config.rules;
  const limits = {
    chatRatePerSec,
    chatBurst,
    globalRatePerSec,
    globalBurst,
    recentPartnerMs: r.recentPartnerMs,
    idleChatMs: r.idleChatMs,
    queueIdleMs: r.queueIdleMs,
    widenAfterMs: r.widenAfterMs,
    floodBurst: r.floodBurst,
    floodPerMinute: r.floodPerMinute,
    outboxCap: r.outboxCap,
    noticeCap: r.noticeCap,
    reportThreshold: r.reportThreshold,
    reportWindowMs: r.reportWindowMs,
    reportBanMs: r.reportBanMs,
  };
  const timing = observe ? { observe } : {};
  if (!config.redis.url) return openEmbeddedStateStore({ limits, ...timing });
  return openRedisStateStore(redisClient(config.redis, logger), {
    prefix: config.redis.prefix,
    limits,
    ...timing,
  });
}

function redisClient(redis: Config['redis'], logger: Logger): RedisClient {
  // Fail a command quickly rather than hold a webhook request: Telegram retries on 503.
  const options = { commandTimeout: 2_000, maxRetriesPerRequest: 2, enableAutoPipelining: true };
  const client =
    redis.clusterNodes.length > 0
      ? new Cluster([...redis.clusterNodes], { redisOptions: options, enableAutoPipelining: true })
      : new Redis(redis.url!, options);
  client.on('error', (err: Error) => logger.warn({ err: err.message }, 'Redis connection error'));
  return client;
}
