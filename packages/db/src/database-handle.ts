import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface PoolStats {
  /** Connections open (busy or idle). */
  readonly total: number;
  readonly idle: number;
  /** Callers queued for a connection: the number to alert on. */
  readonly waiting: number;
}

/** What either backend hands out: the query builder plus what the process needs around it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  poolStats(): PoolStats;
  /** Waits for running queries, then releases every connection. Safe to call twice. */
  close(): Promise<void>;
}
