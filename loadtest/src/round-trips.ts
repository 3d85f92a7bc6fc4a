import { scrape } from './resource-sampler.js';

/** Cumulative calls the workers made, summed over them, from their own counters. */
export interface CallCounts {
  /** Round trips to Redis: hamdam_redis_command_duration_seconds_count (one per store step). */
  redis: number;
  /** Bot API calls (hamdam_sends_total, every outcome), and copyMessage among them. */
  botApi: number;
  copyMessage: number;
}

export function callCounts(texts: readonly string[]): CallCounts {
  const out: CallCounts = { redis: 0, botApi: 0, copyMessage: 0 };
  for (const text of texts) {
    for (const v of scrape(text, 'hamdam_redis_command_duration_seconds_count').values())
      out.redis += v;
    for (const [labels, v] of scrape(text, 'hamdam_sends_total')) {
      out.botApi += v;
      if (labels.includes('method="copyMessage"')) out.copyMessage += v;
    }
  }
  return out;
}

/** The workers' calls over the measured window, and per message relayed in it. */
export interface RoundTrips extends CallCounts {
  relayed: number;
  redisPerRelayed: number;
  botApiPerRelayed: number;
  copyMessagePerRelayed: number;
}

/**
 * The difference of two scrapes, at the window's start and end. A worker restarted in between
 * starts its counters again: the figures then understate, and the run reports the restart.
 */
export function roundTrips(before: CallCounts, after: CallCounts, relayed: number): RoundTrips {
  const redis = after.redis - before.redis;
  const botApi = after.botApi - before.botApi;
  const copyMessage = after.copyMessage - before.copyMessage;
  const per = (n: number) => (relayed > 0 ? Math.round((n / relayed) * 100) / 100 : 0);
  return {
    redis,
    botApi,
    copyMessage,
    relayed,
    redisPerRelayed: per(redis),
    botApiPerRelayed: per(botApi),
    copyMessagePerRelayed: per(copyMessage),
  };
}
