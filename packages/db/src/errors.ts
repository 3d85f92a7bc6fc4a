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

/**
 * Postgres could not be reached or did not answer in time: an outage, not a bug. Raised by
 * `isDatabaseUnavailable` callers to tell "try again shortly" from a constraint violation.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly code = 'HAMDAM_ERR_DB_UNAVAILABLE';
  readonly store = 'postgres';
  constructor(options?: { cause?: unknown }) {
    super('Postgres did not answer', options);
  }
}

// SQLSTATE classes and codes that mean "the server is not there or not taking work now":
// 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown / cannot connect
// now, 57014 query canceled (our statement_timeout).
const OUTAGE_SQLSTATE = /^(08|53|57P0[1-3]$|57014$)/;
// Node's socket errors, and pg-pool's checkout timeout, which has no code.
const OUTAGE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
const OUTAGE_MESSAGE = /timeout exceeded when trying to connect|Connection terminated/;

/**
 * True when a database error means Postgres is out of reach (retry later), false when it is a
 * bug or bad data that a retry would repeat (constraint violation, syntax, type error).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseUnavailableError || err instanceof DatabaseClosedError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (OUTAGE_SQLSTATE.test(code) || OUTAGE_ERRNO.has(code))) {
    return true;
  }
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  return OUTAGE_MESSAGE.test(err.message);
}
