import type { Telegraf } from 'telegraf';
import type { DatabaseHandle } from '@hamdam/db';
import type { StateStore } from '@hamdam/store';
import type { BotApi } from '@hamdam/telegram';
import type { Broadcaster } from '../broadcaster.js';
import type { Dispatcher } from '../dispatcher.js';
import type { JournalFlusher } from '../journal-flusher.js';
import type { Metrics } from '../metrics.js';
import type { Retention } from '../retention.js';
import type { SchemaMigration } from '../schema-migration.js';
import type { Upkeeper } from '../upkeeper.js';

// What the worker's plugins add to the fastify instance, one name per resource or service.
declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
    state: StateStore;
    database: DatabaseHandle;
    migration: SchemaMigration;
    botApi: BotApi;
    dispatcher: Dispatcher;
    flusher: JournalFlusher;
    broadcaster: Broadcaster;
    upkeeper: Upkeeper;
    retention: Retention;
    router: Telegraf;
  }
}

/** Plugin names, for `dependencies`: a plugin registered before what it needs fails at boot. */
export const PLUGINS = {
  metrics: 'hamdam-metrics',
  state: 'hamdam-state-store',
  database: 'hamdam-database',
  botApi: 'hamdam-bot-api',
  dispatcher: 'hamdam-dispatcher',
  flusher: 'hamdam-journal-flusher',
  upkeeper: 'hamdam-upkeeper',
  router: 'hamdam-router',
  commandMenu: 'hamdam-command-menu',
} as const;
