import fp from 'fastify-plugin';
import type { Config } from '@hamdam/config';
import { migrateToLatest } from '@hamdam/db';
import { openDatabase } from '../open-database.js';
import { createUserDirectory } from '../user-directory.js';
import { PLUGINS } from './decorations.js';

/** Postgres (or PGlite), migrated at start, and the user directory on top of it. */
export const databasePlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const database = await openDatabase(config, {
      onError: (err) => app.log.warn({ err }, 'idle Postgres client failed'),
    });
    app.addHook('onClose', () => database.close());
    await migrateToLatest(database.db);
    app.decorate('database', database);
    app.metrics.watchPool(() => database.poolStats());
    app.decorate('users', createUserDirectory(database));
  },
  { name: PLUGINS.database, dependencies: [PLUGINS.metrics] },
);
