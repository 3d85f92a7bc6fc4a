import { mkdir } from 'node:fs/promises';
import { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '@hamdam/config';
import {
  createPgliteDatabase,
  createPostgresDatabase,
  migrateToLatest,
  upsertUser,
  updateProfile,
  getUserById,
  type DatabaseHandle,
} from '@hamdam/db';
import { isGender, isWants, DEFAULT_PROFILE, type Profile } from '@hamdam/domain';
import {
  MemoryChatStore,
  RedisChatStore,
  StoreUnavailableError,
  type ChatStore,
  type RedisClient,
} from '@hamdam/store';
import { BotApi } from '@hamdam/telegram';
import type { UserDirectory } from './router.js';

/** The external resources of one worker, opened in boot order and closed in reverse. */
export interface Resources {
  readonly store: ChatStore;
  readonly database: DatabaseHandle;
  readonly api: BotApi;
  readonly users: UserDirectory;
  close(): Promise<void>;
}

export async function openResources(config: Config, logger: Logger): Promise<Resources> {
  const { chatRatePerSec, chatBurst, globalRatePerSec, globalBurst } = config.sending;
  const limits = {
    chatRatePerSec,
    chatBurst,
    globalRatePerSec,
    globalBurst,
    recentPartnerMs: 120_000,
  };
  const store: ChatStore = config.redis.url
    ? new RedisChatStore(redisClient(config.redis, logger), {
        prefix: config.redis.prefix,
        limits,
      })
    : new MemoryChatStore({ limits });
  const database = config.database.url
    ? createPostgresDatabase({
        url: config.database.url,
        poolMax: Math.max(1, Math.floor(config.database.poolBudget / config.workers)),
        onError: (err: Error) => logger.warn({ err }, 'idle Postgres client failed'),
      })
    : await openPglite(`${config.database.dataDir}/pglite`);
  try {
    await migrateToLatest(database.db);
  } catch (err) {
    await database.close();
    await store.close();
    throw err;
  }
  const api = new BotApi({
    token: config.telegram.token,
    apiRoot: config.telegram.apiRoot,
    connections: config.telegram.connections,
    timeoutMs: config.telegram.timeoutMs,
  });
  const users: UserDirectory = {
    async register(telegramId, languageCode) {
      const row = await unavailableIfFails(() =>
        upsertUser(database.db, { telegramId, languageCode }),
      );
      return { uid: row.id, profile: profileOf(row) };
    },
    async updateProfile(uid, patch) {
      const row = await unavailableIfFails(async () => {
        await updateProfile(database.db, uid, patch);
        return getUserById(database.db, uid);
      });
      if (!row) throw new Error(`user ${uid} vanished`);
      return profileOf(row);
    },
  };
  return {
    store,
    database,
    api,
    users,
    async close() {
      await api.close();
      await store.close();
      await database.close();
    },
  };
}

function profileOf(row: { gender: string | null; wants: string }): Profile {
  return {
    gender: isGender(row.gender) ? row.gender : DEFAULT_PROFILE.gender,
    wants: isWants(row.wants) ? row.wants : DEFAULT_PROFILE.wants,
  };
}

/** Postgres out of reach: the update is retried by Telegram, which beats dropping it. */
async function unavailableIfFails<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw new StoreUnavailableError('Postgres did not answer', { cause: err });
  }
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  await mkdir(dataDir, { recursive: true });
  return createPgliteDatabase({ dataDir });
}

function redisClient(redis: Config['redis'], logger: Logger): RedisClient {
  // Fail a command quickly rather than hold a webhook request: Telegram retries on 503.
  const options = { commandTimeout: 2_000, maxRetriesPerRequest: 2, enableAutoPipelining: true };
  const client =
    redis.clusterNodes.length > 0
      ? new Cluster([...redis.clusterNodes], { redisOptions: options, enableAutoPipelining: true })
      : new Redis(redis.url!, options);
  client.on('error', (err: Error) => logger.warn({ err: err.message }, 'Redis connection error'));
  return client;
}
