import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisClient } from './lua-runner.js';

export interface RedisConnection {
  /**
   * `redis://` or `rediss://` URL, whose credentials and TLS hold for every cluster node too;
   * or `unix:///path/to/redis.sock` (credentials as `unix://user:password@localhost/path`).
   */
  readonly url: string;
  /** Seed nodes of a Redis Cluster; empty for a single server at `url`. */
  readonly clusterNodes: readonly { readonly host: string; readonly port: number }[];
  /** Told each connection error, with the URL and its credentials masked. */
  readonly onError: (message: string) => void;
}

// Fail a command quickly rather than hold a webhook request: Telegram retries on 503.
const COMMAND_OPTIONS = {
  commandTimeout: 2_000,
  maxRetriesPerRequest: 2,
  enableAutoPipelining: true,
} as const satisfies RedisOptions;

/** Opens the client the state store runs on: one server, or a Cluster seeded by `clusterNodes`. */
export function connectRedis(connection: RedisConnection): RedisClient {
  const client =
    connection.clusterNodes.length > 0
      ? new Cluster([...connection.clusterNodes], clusterOptions(connection.url))
      : openRedis(connection.url, COMMAND_OPTIONS);
  client.on('error', (err: unknown) =>
    connection.onError(maskRedisUrl(String((err as Error)?.message ?? err), connection.url)),
  );
  return client;
}

/**
 * A client of the one Redis at `url`: `redis://`, `rediss://` (ioredis reads them), or
 * `unix:///path/to/redis.sock`, a Redis on this host over its Unix socket, which costs both
 * sides less per round trip than loopback TCP (ioredis reads no such URL: its path, user,
 * password and `?db=` are passed as options).
 */
export function openRedis(url: string, options: RedisOptions = {}): Redis {
  const parsed = new URL(url);
  if (parsed.protocol !== 'unix:') return new Redis(url, options);
  const socket: RedisOptions = { path: decodeURIComponent(parsed.pathname) };
  if (parsed.username) socket.username = decodeURIComponent(parsed.username);
  if (parsed.password) socket.password = decodeURIComponent(parsed.password);
  const db = parsed.searchParams.get('db');
  if (db !== null) socket.db = Number(db);
  return new Redis({ ...options, ...socket });
}

/**
 * A Cluster learns its nodes from the seeds and connects to each with `redisOptions` alone:
 * the URL's user, password and TLS must be copied there, or every node is reached without them.
 */
export function clusterOptions(url: string): ClusterOptions {
  const parsed = new URL(url);
  const redisOptions: RedisOptions = { ...COMMAND_OPTIONS };
  if (parsed.username) redisOptions.username = decodeURIComponent(parsed.username);
  if (parsed.password) redisOptions.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === 'rediss:') redisOptions.tls = {};
  return { redisOptions, enableAutoPipelining: true };
}

/** The URL and its password replaced wherever they appear: a log must not carry them. */
export function maskRedisUrl(message: string, url: string): string {
  let out = message.replaceAll(url, '<REDIS_URL>');
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const password = parsed?.password;
  if (!password) return out;
  for (const form of new Set([password, decodeURIComponent(password)])) {
    out = out.replaceAll(form, '<redacted>');
  }
  return out;
}
