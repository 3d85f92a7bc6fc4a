import pg from 'pg';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type { DatabaseHandle } from './database-handle.js';
import { INT8_OID, parseInt8 } from './int8.js';
import type { Database } from './schema.js';

export interface PostgresDatabaseOptions {
  /** postgres:// URL; it may hold a password, so it is never logged or put in an error. */
  readonly url: string;
  /**
   * Connections this process may open. A share of a budget, not a dial: all workers
   * together should hold about 2-4 x the database host's cores.
   */
  readonly poolMax: number;
  /** Fail a checkout (new connection or queue wait) after this long. Default 2000. */
  readonly connectionTimeoutMs?: number;
  /** Server-side cap per statement; 0 leaves it to the server (needed behind PgBouncer). Default 5000. */
  readonly statementTimeoutMs?: number;
  /** Server ends a session idle inside a transaction this long; 0 leaves it to the server. Default 10000. */
  readonly idleInTransactionTimeoutMs?: number;
  /** Close connections idle this long. Default 30000. */
  readonly idleTimeoutMs?: number;
  readonly applicationName?: string;
  /** Errors of connections nobody is using (server restart, network cut). Default: ignored. */
  readonly onError?: (error: Error) => void;
  /** Told how long each checkout waited for a connection, in seconds (a pool histogram). */
  readonly onConnectionWait?: (seconds: number) => void;
}

export function createPostgresDatabase(options: PostgresDatabaseOptions): DatabaseHandle {
  const {
    url,
    poolMax,
    connectionTimeoutMs = 2000,
    statementTimeoutMs = 5000,
    idleInTransactionTimeoutMs = 10_000,
    idleTimeoutMs = 30_000,
    applicationName = 'hamdam',
    onError = () => {},
    onConnectionWait,
  } = options;
  if (!Number.isInteger(poolMax) || poolMax < 1) {
    throw new TypeError('createPostgresDatabase: poolMax must be a positive integer');
  }

  // int8 parsing is set on this pool only: pg's global parsers belong to whoever else
  // shares the process.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);

  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: idleTimeoutMs,
    // pg sends these as startup parameters only when non-zero.
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: idleInTransactionTimeoutMs,
    application_name: applicationName,
    types,
  });
  // Every client reports its own errors, idle or checked out: pg-pool only listens while a
  // client is idle, and an unheard 'error' on a client held between queries (a transaction
  // waiting on its caller) would crash the process. The query that next uses such a client
  // fails and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', (error) => onError(error));
  });
  // pg-pool re-emits idle clients' errors here after dropping the client. They were
  // already reported above, but the event needs a listener or it would crash the process.
  pool.on('error', () => {});

  // Kysely checks a connection out per query or transaction: timing the checkout is timing
  // the wait for the pool.
  const timed: PostgresPool = {
    connect: async () => {
      const started = performance.now();
      try {
        return await pool.connect();
      } finally {
        onConnectionWait?.((performance.now() - started) / 1000);
      }
    },
    end: () => pool.end(),
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: timed }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () =>
      (closing ??= (async () => {
        await db.destroy();
        // kysely skips the driver's destroy (which ends the pool) when no query ever ran.
        if (!pool.ended) await pool.end();
      })()),
  };
}
