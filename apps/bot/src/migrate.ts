// `npm run migrate`: applies the database migrations and exits. Workers also apply them at start
// (kysely's Migrator takes a lock, so concurrent starts are safe); this is for deploy steps.
import { migrateToLatest } from '@hamdam/db';
import { configFromEnv } from './env.js';
import { openDatabase } from './open-database.js';

const config = configFromEnv();
const database = await openDatabase(config, { poolMax: 1 });
try {
  const { applied } = await migrateToLatest(database.db);
  process.stdout.write(
    applied.length === 0 ? 'database is up to date\n' : `applied: ${applied.join(', ')}\n`,
  );
} catch (err) {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
