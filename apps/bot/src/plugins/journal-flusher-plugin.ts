import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import { JournalFlusher } from '../journal-flusher.js';
import { PLUGINS } from './decorations.js';

/** Moves finished chats from the state store's journal to Postgres, in batches. */
export const journalFlusherPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const flusher = new JournalFlusher({
      journal: app.state.journal,
      database: app.database,
      logger: app.log as Logger,
      reader: `worker-${config.workerIndex}-${process.pid}`,
      ready: () => app.migration.done,
    });
    app.decorate('flusher', flusher);
    app.addHook('onReady', async () => flusher.start());
    app.addHook('onClose', () => flusher.stop());
  },
  { name: PLUGINS.flusher, dependencies: [PLUGINS.state, PLUGINS.database] },
);
