import { Cluster, type Redis } from 'ioredis';
import { StoreUnavailableError } from '../errors.js';
import type { LuaEngine, RedisClient } from './lua-runner.js';
import { isMissingFunction, type Reply } from './lua-function.js';

/** How long loading the library waits for a Cluster to learn its masters. */
const CLUSTER_READY_MS = 10_000;

/**
 * The library on Redis: FCALL, and FUNCTION LOAD on the one server or on every master of a
 * Cluster (a replica gets it from its master, and keeps it when promoted).
 */
export function redisEngine(client: RedisClient): LuaEngine {
  const nodes = async (): Promise<Redis[]> =>
    client instanceof Cluster ? await masters(client) : [client];
  return {
    fcall: (name, keys, args) =>
      client.fcall(name, keys.length, ...keys, ...args) as Promise<Reply>,
    versions: async () =>
      Promise.all(
        (await nodes()).map((node) =>
          node.fcall('version', 0).then(
            (v) => Number(v),
            (err: unknown) => {
              if (isMissingFunction(err)) return null;
              throw err;
            },
          ),
        ),
      ),
    load: async (source) => {
      await Promise.all((await nodes()).map((node) => node.function('LOAD', 'REPLACE', source)));
    },
  };
}

async function masters(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cluster.off('ready', onReady);
        reject(new StoreUnavailableError('the Redis Cluster did not become ready'));
      }, CLUSTER_READY_MS);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      cluster.once('ready', onReady);
    });
  }
  return cluster.nodes('master');
}
