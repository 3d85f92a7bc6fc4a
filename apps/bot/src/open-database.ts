import { mkdir } from 'node:fs/promises';
import type { Config } from '@hamdam/config';
import { createPgliteDatabase, createPostgresDatabase, type DatabaseHandle } from '@hamdam/db';

/** Postgres when configured (this worker's share of the pool budget), else embedded PGlite. */
export async function openDatabase(
  config: Config,
  options: {
    poolMax?: number;
    onError?: (err: Error) => void;
    onConnectionWait?: (seconds: number) => void;
  } = {},
): Promise<DatabaseHandle> {
  if (config.database.url) {
    return createPostgresDatabase({
      url: config.database.url,
      poolMax:
        options.poolMax ?? Math.max(1, Math.floor(config.database.poolBudget / config.workers)),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.onConnectionWait ? { onConnectionWait: options.onConnectionWait } : {}),
    });
  }
  const dataDir = `${config.database.dataDir}/pglite`;
  await mkdir(dataDir, { recursive: true });
  return createPgliteDatabase({ dataDir });
}
