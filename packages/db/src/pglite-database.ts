import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { DatabaseHandle } from './database-handle.js';
import { INT8_OID, parseInt8 } from './int8.js';
import { PgliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export interface PgliteDatabaseOptions {
  /** Directory for the data files; absent keeps everything in memory. One process only. */
  readonly dataDir?: string;
}

/**
 * The embedded default: Postgres compiled to WebAssembly, in this process. Async because
 * PGlite boots (a few seconds) and a broken data directory must fail here, at start.
 * There is no statement_timeout: a single-threaded backend has nothing to interrupt it.
 */
export async function createPgliteDatabase(
  options: PgliteDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const settings: PGliteOptions = { parsers: { [INT8_OID]: parseInt8 } };
  if (options.dataDir !== undefined) settings.dataDir = options.dataDir;
  const pglite = new PGlite(settings);
  await pglite.waitReady;

  const dialect = new PgliteDialect(pglite);
  const db = new Kysely<Database>({ dialect });
  let closing: Promise<void> | undefined;
  return {
    db,
    poolStats: () => dialect.poolStats(),
    close: () =>
      (closing ??= (async () => {
        await db.destroy();
        // kysely skips the driver's destroy when no query ever ran.
        if (!pglite.closed) await pglite.close();
      })()),
  };
}
