// Every error this package raises itself, with a stable code for logs and alerts. Errors
// from the database (constraint violations, timeouts) pass through untouched: they carry
// Postgres' SQLSTATE in `code` (e.g. 23514 check_violation, 57014 query_canceled) on both
// pg and PGlite, which is what callers should match on.

export const ERROR_CODES = {
  migration: 'HAMDAM_ERR_DB_MIGRATION',
  closed: 'HAMDAM_ERR_DB_CLOSED',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Migrating failed; nothing of the failed run was kept (it runs in one transaction). */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code = ERROR_CODES.migration;
  /** Names of the migrations that failed; empty when the failure came before any ran. */
  readonly failed: readonly string[];

  constructor(failed: readonly string[], cause: unknown) {
    const what = failed.length > 0 ? `migration ${failed.join(', ')} failed` : 'migrating failed';
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`${what}, nothing was applied: ${why}`, { cause });
    this.failed = failed;
  }
}

/** The embedded database was used after close(). */
export class DatabaseClosedError extends Error {
  override readonly name = 'DatabaseClosedError';
  readonly code = ERROR_CODES.closed;

  constructor() {
    super('the database has been closed');
  }
}
