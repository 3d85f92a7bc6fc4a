import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { MigrationError } from './errors.js';
import { migrations } from './migrations.js';
import type { Database } from './schema.js';

/**
 * Brings the schema up to date. Safe to run from every process at boot: kysely's Migrator
 * holds a Postgres advisory lock while it reads the migration table and applies what is
 * missing (all in one transaction), so a second process waits, then finds nothing to do.
 * Throws MigrationError naming the failed migrations; nothing of a failed run is kept.
 * The lock is a session advisory lock: run this against Postgres itself, not through
 * PgBouncer in transaction mode, which cannot hold one.
 */
export function migrateToLatest(db: Kysely<Database>): Promise<{ applied: string[] }> {
  return applyMigrations(db, migrations);
}

/** migrateToLatest with a chosen set of migrations; kept inside the package for tests. */
export async function applyMigrations(
  db: Kysely<Database>,
  set: Readonly<Record<string, Migration>>,
): Promise<{ applied: string[] }> {
  // One session for the whole run, with statement_timeout lifted: the pool's timeout is
  // sized for the bot's small queries, while a process waiting on the lock (or building an
  // index) may legitimately take longer. The lock wait itself stays bounded by the
  // lock_timeout kysely sets around it.
  return db.connection().execute(async (session) => {
    await sql`set statement_timeout = 0`.execute(session);
    const outcome = await runMigrator(session, set);
    try {
      // Back to the pool's setting before the connection is reused.
      await sql`reset statement_timeout`.execute(session);
    } catch (resetError) {
      // The session is broken, so the pool will drop it; a migration error matters more.
      if (!(outcome instanceof MigrationError)) throw resetError;
    }
    if (outcome instanceof MigrationError) throw outcome;
    return outcome;
  });
}

async function runMigrator(
  session: Kysely<Database>,
  set: Readonly<Record<string, Migration>>,
): Promise<{ applied: string[] } | MigrationError> {
  try {
    const migrator = new Migrator({
      db: session,
      provider: { getMigrations: () => Promise.resolve({ ...set }) },
    });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results.filter((r) => r.status === 'Error').map((r) => r.migrationName);
      return new MigrationError(failed, error);
    }
    return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
  } catch (error) {
    return new MigrationError([], error);
  }
}
