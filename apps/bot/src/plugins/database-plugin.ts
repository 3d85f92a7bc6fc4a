import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import { openDatabase } from '../open-database.js';
import { SchemaMigration } from '../schema-migration.js';
import { PLUGINS } from './decorations.js';

/**
 * Postgres (or embedded PGlite) and its schema. Postgres is a soft dependency: the pool
 * connects on first use, the schema is migrated in the background (retrying while Postgres is
 * away), so a worker starts and relays on Redis alone. The embedded database is local and is
 * migrated before the worker takes requests.
 */
export const databasePlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const database = await openDatabase(config, {
      onError: (err) => app.log.warn({ err }, 'idle Postgres client failed'),
      onConnectionWait: (seconds) => app.metrics.pgWait.observe(seconds),
    });
    app.addHook('onClose', () => database.close());
    const migration = new SchemaMigration(database, app.log as Logger);
    app.addHook('onClose', () => migration.stop());
    if (!config.database.url) await migration.once();
    else if (config.database.migrateOnStart) migration.startRetrying();
    else migration.skip();
    app.decorate('database', database);
    app.decorate('migration', migration);
    app.metrics.watchPool(() => database.poolStats());
  },
  { name: PLUGINS.database, dependencies: [PLUGINS.metrics] },
);
