import { Pool } from 'undici';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.js';

export interface DirectResult {
  concurrency: number;
  seconds: number;
  requests: number;
  requestsPerSec: number;
  non2xx: number;
  failures: number;
  latency: LatencySummary;
}

export interface DirectTarget {
  nginxUrl: string;
  webhookPath: string;
  secret: string;
}

/**
 * Posts recorded updates straight to nginx at a fixed concurrency for a fixed time, the way the
 * emulator does (at most max_connections in flight). Run against the bot and against the empty
 * handler with the same bodies and concurrency, it gives the bot's throughput and the ceiling.
 * Update ids are renumbered upward so the bot takes each as new rather than as a redelivery.
 */
export async function driveDirect(
  target: DirectTarget,
  bodies: readonly string[],
  concurrency: number,
  seconds: number,
  firstUpdateId: number,
): Promise<DirectResult> {
  if (bodies.length === 0) throw new Error('no recorded updates to replay');
  const pool = new Pool(target.nginxUrl, {
    connections: concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const headers = {
    'content-type': 'application/json',
    'x-telegram-bot-api-secret-token': target.secret,
  };
  const latency = new LatencyHistogram();
  let next = 0;
  let updateId = firstUpdateId;
  let non2xx = 0;
  let failures = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const body = bodies[next++ % bodies.length]!.replace(
        /^\{"update_id":\d+/,
        `{"update_id":${updateId++}`,
      );
      const t = performance.now();
      try {
        const response = await pool.request({
          path: target.webhookPath,
          method: 'POST',
          headers,
          body,
          headersTimeout: 30_000,
          bodyTimeout: 30_000,
        });
        await response.body.dump();
        if (response.statusCode < 200 || response.statusCode > 299) non2xx++;
        else latency.record(performance.now() - t);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  return {
    concurrency,
    seconds: Math.round(elapsed * 10) / 10,
    requests: latency.count,
    requestsPerSec: Math.round((latency.count / elapsed) * 10) / 10,
    non2xx,
    failures,
    latency: latency.summary(),
  };
}
