import type { Logger } from 'pino';
import { migrateToLatest, type DatabaseHandle } from '@hamdam/db';

/**
 * Brings the schema up to date without holding the worker hostage: relaying needs only Redis,
 * so a worker starts while Postgres is away and keeps trying in the background. Until the
 * schema is there, what needs Postgres (the journal flusher, broadcasts) waits.
 */
export class SchemaMigration {
  readonly #database: DatabaseHandle;
  readonly #logger: Logger;
  readonly #retryMs: number;
  #done = false;
  #timer: NodeJS.Timeout | null = null;
  #attempt: Promise<void> | null = null;

  constructor(database: DatabaseHandle, logger: Logger, retryMs = 5_000) {
    this.#database = database;
    this.#logger = logger;
    this.#retryMs = retryMs;
  }

  /** True once the schema is known to be current (migrated here, or migrations are elsewhere). */
  get done(): boolean {
    return this.#done;
  }

  /** The schema is migrated by another command (`npm run migrate`). */
  skip(): void {
    this.#done = true;
  }

  /** One attempt now; throws what Postgres said. */
  async once(): Promise<void> {
    const { applied } = await migrateToLatest(this.#database.db);
    if (applied.length > 0) this.#logger.info({ applied }, 'database migrated');
    this.#done = true;
  }

  /** Attempts until one succeeds, in the background. */
  startRetrying(): void {
    const run = () => {
      this.#attempt = this.once().catch((err: unknown) => {
        this.#logger.warn({ err }, `database not migrated yet, retrying in ${this.#retryMs} ms`);
        this.#timer = setTimeout(run, this.#retryMs);
        this.#timer.unref();
      });
    };
    run();
  }

  /** Resolves when the attempt under way (if any) has ended, migrated or not. */
  async settled(): Promise<void> {
    await this.#attempt;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    await this.#attempt;
  }
}
