import type { PGlite } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { DatabaseClosedError } from './errors.js';
import type { PoolStats } from './database-handle.js';

// kysely for PGlite: Postgres SQL, adapter and introspection are kysely's own; only the
// driver is new. PGlite is one Postgres backend (one session), so the driver hands out its
// single connection to one holder at a time. That makes a kysely transaction exclusive:
// nothing else can slip a statement into it. The flip side: a query on the outer `db` made
// while the same code holds a transaction or `db.connection()` waits forever, where pg
// would have used a second connection. Always query through the transaction object.

/** A FIFO lock: the single connection's owner and the queue waiting for it. */
class ConnectionGate {
  #held = false;
  readonly #queue: (() => void)[] = [];

  get held(): boolean {
    return this.#held;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#queue.push(resolve));
  }

  release(): void {
    const next = this.#queue.shift();
    // Ownership passes straight to the next waiter, so nobody can barge in between.
    if (next) next();
    else this.#held = false;
  }
}

const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

class PgliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const command = result.command?.toUpperCase();
    // Same contract as kysely's pg driver: the driver reads COMMIT/ROLLBACK tags back.
    if (command === 'COMMIT' || command === 'ROLLBACK') {
      return { rows: [{ command } as R] };
    }
    if (command !== undefined && COUNTED_COMMANDS.has(command)) {
      return {
        rows: result.rows,
        numAffectedRows: BigInt(result.rowCount ?? result.affectedRows ?? 0),
      };
    }
    return { rows: result.rows };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite');
  }
}

class PgliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #gate: ConnectionGate;
  readonly #connection: PgliteConnection;
  #closed = false;

  constructor(pglite: PGlite, gate: ConnectionGate) {
    this.#pglite = pglite;
    this.#gate = gate;
    this.#connection = new PgliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#closed) throw new DatabaseClosedError();
    await this.#gate.acquire();
    // Queued before close() began: still served. Queued behind close(): refused here.
    if (this.#pglite.closed) {
      this.#gate.release();
      throw new DatabaseClosedError();
    }
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    let statement = 'begin';
    if (settings.isolationLevel !== undefined || settings.accessMode !== undefined) {
      statement = 'start transaction';
      if (settings.isolationLevel !== undefined) {
        statement += ` isolation level ${settings.isolationLevel}`;
      }
      if (settings.accessMode !== undefined) statement += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const { rows } = await connection.executeQuery<{ command?: string }>(
      CompiledQuery.raw('commit'),
    );
    // Postgres answers COMMIT of an aborted transaction with a ROLLBACK tag, not an error.
    if (rows[0]?.command === 'ROLLBACK') throw new AbortedTransactionError();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(
      CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(name)}`),
    );
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  releaseConnection(): Promise<void> {
    this.#gate.release();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Whoever queued before close() still runs; then the backend shuts down.
    await this.#gate.acquire();
    try {
      if (!this.#pglite.closed) await this.#pglite.close();
    } finally {
      this.#gate.release();
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A kysely Dialect over one PGlite instance. */
export class PgliteDialect implements Dialect {
  readonly #pglite: PGlite;
  readonly #gate = new ConnectionGate();

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /** One connection: busy or idle, plus the callers queued for it. */
  poolStats(): PoolStats {
    return { total: 1, idle: this.#gate.held ? 0 : 1, waiting: this.#gate.waiting };
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#pglite, this.#gate);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
