import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisCost, type CommandStats, type RedisCost } from './redis-cost.js';
import { monotonicUs } from './profile-files.js';
import { callCounts, roundTrips, type CallCounts, type RoundTrips } from './round-trips.js';
import type { Topology, TopologyOptions } from '@hamdam/bot/testing';
import { openRedis, openRedisStateStore } from '@hamdam/store';
import { EmulatorClient, type EmulatorStats } from './emulator-client.js';
import { EventStream, type SentEvent } from './event-stream.js';
import { LatencyHistogram, summariseBuckets, type LatencySummary } from './latency-histogram.js';
import { MessageLedger, type BotDrops, type LedgerResult } from './message-ledger.js';
import { ResourceSampler, type ResourceSample, type WorkerCounters } from './resource-sampler.js';
import { VirtualUsers, type ShareName } from './virtual-users.js';
import { measuredFromMs, type Workload } from './workload.js';

export const HISTOGRAM_BOUNDS = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];

/** One second of the run, for the charts. */
export interface SecondSample {
  t: number;
  updatesPosted: number;
  updatesDelivered: number;
  sends: number;
  /** Copies that reached a partner in this second, and their relay latency. */
  relayed: number;
  relayP50: number;
  relayP99: number;
  webhookP99: number;
  /** Time the emulator's process spent collecting garbage in this second. */
  emulatorGcMs: number;
  shares: Record<ShareName, number>;
}

export interface BlackBoxResult {
  workload: Workload;
  workers: number;
  measuredSeconds: number;
  throughput: { updatesPerSec: number; sendsPerSec: number; updatesPostedPerSec: number };
  /** Update posted by the emulator → 2xx, over the measured window. */
  webhook: LatencySummary;
  /** Message posted to the emulator → its copy reaching the partner, messages sent in the window. */
  relay: LatencySummary;
  /** Counts of relay latencies under HISTOGRAM_BOUNDS (one more for above), for the chart. */
  relayHistogram: number[];
  /** What Redis spent over the window, from INFO commandstats. */
  redis: RedisCost;
  /** The workers' Redis round trips and Bot API calls over the window, per relayed message. */
  roundTrips: RoundTrips;
  /**
   * The window as it was measured (from the first second past the ramp to the end), on the
   * monotonic clock of CPU profiles, µs; and every worker process that served the run.
   */
  windowUs: { fromUs: number; toUs: number };
  workerPids: number[];
  matchDirect: LatencySummary;
  matchQueued: LatencySummary;
  ledger: LedgerResult;
  errors: Record<string, number>;
  /** Mean share of users in each part of the mix over the window. */
  shares: Record<ShareName, number>;
  maxRssMb: number;
  maxPgPoolWaiting: number;
  workerRestarts: number;
  generatorLagP99Ms: number;
  drainMs: number;
  emulator: EmulatorStats;
  counters: WorkerCounters;
  series: SecondSample[];
  resources: ResourceSample[];
  /** Updates exactly as the emulator posted them, for the direct driver. */
  recorded: string[];
}

/**
 * The topology every load run uses, the smoke test included. The ledger reads the event
 * stream, not chat logs, so the emulator forgets messages after a minute and its heap stays
 * small whatever the pace. A message must outlive its copy only, and a relay slower than a
 * minute fails the run anyway. (A bound by count did not hold: ten messages per chat lost
 * copies at the smoke run's pace; fifty made the emulator's heap 600 MB at 10,000 users.)
 */
export function loadTopology(
  workers: number,
  maxConnections: number,
  upstream: TopologyOptions['upstream'] = 'tcp',
): TopologyOptions {
  return { workers, maxConnections, emulatorChatLogMaxAgeMs: 60_000, upstream };
}

export interface RunOptions {
  workers: number;
  random: () => number;
  /** How many delivered-shape updates to keep for the direct driver. */
  record: number;
  log: (line: string) => void;
  /** Longest wait for the bot to go quiet after the last update, ms. */
  drainMaxMs?: number;
  /** Ends the run early (an interrupt); the result covers what ran. */
  signal?: AbortSignal;
  /** Called once users start, with the run's time origin (performance.now()). */
  started?: (t0: number) => void;
  /**
   * Sees what the bot sent to chats other than the virtual users' (people a fault scenario
   * drives by hand); answers true for a chat it owns, so the virtual users never see it.
   */
  observe?: (event: SentEvent) => boolean;
  /**
   * Copies the bot dropped on purpose in those other chats: they are in its cluster-wide
   * counters but not in the ledger, so they are taken off before the ledger uses them.
   */
  ownDrops?: () => number;
}

/**
 * Drives the bot as a black box: users act only through the emulator's control API, and what
 * the bot sends is read only from the emulator's stream.
 */
export async function runBlackBox(
  topology: Topology,
  workload: Workload,
  options: RunOptions,
): Promise<BlackBoxResult> {
  const client = new EmulatorClient(topology.emulatorUrl);
  const stream = new EventStream();
  const sampler = new ResourceSampler(topology, options.workers, topology.redisUrl);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  try {
    options.log(`creating ${workload.users} users`);
    const ids = await client.createUsers(workload.users);
    const ledger = new MessageLedger();
    const users = new VirtualUsers(ids, workload, ledger, options.random);
    const recorded: string[] = [];
    let sends = 0;
    let lastEventAt = performance.now();
    let inWindow = false;
    await stream.open(topology.emulatorUrl, {
      sent(event) {
        sends++;
        lastEventAt = performance.now();
        if (options.observe?.(event)) return;
        users.received(
          event.chat_id,
          event.kind,
          event.message.message_id,
          event.message.text,
          event.message.caption,
          lastEventAt,
        );
      },
      update(json) {
        if (inWindow) recorded.push(json);
        return recorded.length < options.record;
      },
    });
    const t0 = performance.now();
    const from = t0 + measuredFromMs(workload);
    const to = from + workload.durationMs;
    ledger.measureWindow(from, to);
    await sampler.start(t0);
    lag.enable();
    users.start(t0);
    options.started?.(t0);

    const series: SecondSample[] = [];
    const shareSums: Record<ShareName, number> = { chatting: 0, waiting: 0, arriving: 0 };
    let shareSamples = 0;
    let statsAtFrom: EmulatorStats | null = null;
    let statsAtTo: EmulatorStats | null = null;
    let commandsAtFrom: CommandStats | null = null;
    let callsAtFrom: CallCounts | null = null;
    let fromUs = 0;
    let lastStats = await client.stats();
    let lastPosted = 0;
    let lastSends = 0;
    let nextSecond = t0 + 1_000;
    let injectFailures = 0;
    options.log(
      `ramping up over ${workload.rampMs / 1000} s, ${workload.settleMs > 0 ? `settling ${workload.settleMs / 1000} s, ` : ''}then ${workload.durationMs / 1000} s measured`,
    );
    // The main loop: one tick posts one batch; a slow post delays the next tick, never reorders.
    const stopped = () => options.signal?.aborted === true;
    for (let now = performance.now(); now < to && !stopped(); now = performance.now()) {
      const batch = users.tick(now);
      if (batch) {
        const postedAt = performance.now();
        try {
          await client.inject(batch.items);
          users.stampPosted(batch.stamps, postedAt);
        } catch (error) {
          injectFailures++;
          options.log(`inject failed: ${String(error)}`);
        }
      }
      const after = performance.now();
      if (after >= nextSecond) {
        nextSecond += 1_000;
        const stats = await client.stats();
        if (statsAtFrom === null && after >= from) {
          statsAtFrom = stats;
          fromUs = monotonicUs();
          commandsAtFrom = await sampler.commandStats();
          callsAtFrom = callCounts(await sampler.scrapeWorkers());
        }
        inWindow = after >= from;
        const shares = users.shares();
        if (inWindow) {
          shareSamples++;
          for (const k of Object.keys(shareSums) as ShareName[]) shareSums[k] += shares[k];
        }
        const hook = diffLatency(lastStats, stats);
        const second = ledger.second;
        ledger.second = new LatencyHistogram();
        series.push({
          t: Math.round((after - t0) / 100) / 10,
          updatesPosted: users.updatesQueued - lastPosted,
          updatesDelivered: stats.updates_delivered - lastStats.updates_delivered,
          sends: sends - lastSends,
          relayed: second.count,
          relayP50: round(second.quantile(0.5)),
          relayP99: round(second.quantile(0.99)),
          webhookP99: hook.p99,
          emulatorGcMs: round(stats.process.gc_total_ms - lastStats.process.gc_total_ms),
          shares,
        });
        if (series.length % 15 === 0) {
          const s = series.at(-1)!;
          options.log(
            `t=${s.t}s posted/s=${s.updatesPosted} delivered/s=${s.updatesDelivered} sends/s=${s.sends} relay p99=${s.relayP99}ms webhook p99=${s.webhookP99}ms chatting=${shares.chatting} pending=${stats.pending}`,
          );
        }
        lastStats = stats;
        lastPosted = users.updatesQueued;
        lastSends = sends;
      }
      const wait = Math.min(workload.tickMs, to - performance.now()) - (performance.now() - now);
      if (wait > 0) await sleep(wait);
    }
    statsAtTo = await client.stats();
    statsAtFrom ??= statsAtTo;
    const toUs = monotonicUs();
    const commandsAtTo = await sampler.commandStats();
    commandsAtFrom ??= commandsAtTo;
    const callsAtTo = callCounts(await sampler.scrapeWorkers());
    callsAtFrom ??= callsAtTo;
    if (fromUs === 0) fromUs = toUs;
    users.stop();
    lag.disable();

    // Let everything in flight land: emulator queues empty and the bot silent for a while.
    const drainStart = performance.now();
    const drainMax = options.drainMaxMs ?? 60_000;
    options.log('draining');
    while (performance.now() - drainStart < drainMax && !stopped()) {
      const stats = await client.stats();
      if (stats.pending === 0 && stats.in_flight === 0 && performance.now() - lastEventAt > 3_000)
        break;
      await sleep(250);
    }
    const drainMs = Math.round(performance.now() - drainStart);
    const final = await client.stats();
    const bot = await botDrops(topology);
    const drops = { sure: bot.sure - (options.ownDrops?.() ?? 0), unsure: bot.unsure };
    const measuredSeconds = (to - from) / 1000;
    const errors: Record<string, number> = Object.fromEntries(users.errors);
    if (injectFailures > 0) errors['inject-failed'] = injectFailures;
    return {
      workload,
      workers: options.workers,
      measuredSeconds,
      throughput: {
        updatesPerSec: round(
          (statsAtTo.updates_delivered - statsAtFrom.updates_delivered) / measuredSeconds,
        ),
        updatesPostedPerSec: round(
          (statsAtTo.updates_injected - statsAtFrom.updates_injected) / measuredSeconds,
        ),
        sendsPerSec: round(
          series
            .filter((s) => s.t * 1000 >= measuredFromMs(workload))
            .reduce((a, s) => a + s.sends, 0) / measuredSeconds,
        ),
      },
      webhook: diffLatency(statsAtFrom, statsAtTo),
      relay: ledger.relay.summary(),
      redis: redisCost(commandsAtFrom, commandsAtTo, ledger.relay.summary().count),
      roundTrips: roundTrips(callsAtFrom, callsAtTo, ledger.relay.summary().count),
      windowUs: { fromUs, toUs },
      workerPids: [...sampler.workerPids],
      relayHistogram: ledger.relay.bucketed(HISTOGRAM_BOUNDS),
      matchDirect: users.matchDirect.summary(),
      matchQueued: users.matchQueued.summary(),
      ledger: ledger.result(drops),
      errors,
      shares: Object.fromEntries(
        (Object.keys(shareSums) as ShareName[]).map((k) => [
          k,
          round(shareSums[k] / Math.max(1, shareSamples) / workload.users),
        ]),
      ) as Record<ShareName, number>,
      maxRssMb: sampler.maxRssMb,
      maxPgPoolWaiting: sampler.maxPgPoolWaiting,
      workerRestarts: sampler.restarts,
      generatorLagP99Ms: round(lag.percentile(99) / 1e6),
      drainMs,
      emulator: final,
      counters: await sampler.counters(),
      series,
      resources: sampler.samples,
      recorded,
    };
  } finally {
    lag.disable();
    await sampler.stop();
    await stream.close();
    await client.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Webhook round trips between two stats snapshots (the max is the run's, not the window's). */
function diffLatency(a: EmulatorStats, b: EmulatorStats): LatencySummary {
  const counts = b.webhook_latency.counts.map((n, i) => n - (a.webhook_latency.counts[i] ?? 0));
  return summariseBuckets(
    b.webhook_latency.bounds_ms,
    counts,
    b.webhook_latency.sum_ms - a.webhook_latency.sum_ms,
    b.webhook_latency.max_ms,
  );
}

/** What the bot dropped on purpose, from its own cluster-wide counters in Redis. */
async function botDrops(topology: Topology): Promise<BotDrops> {
  const store = openRedisStateStore(openRedis(topology.redisUrl), { prefix: topology.redisPrefix });
  try {
    const { counters } = await store.upkeep.stats(60_000);
    return {
      sure:
        (counters['dropped_end'] ?? 0) + (counters['dropped_cap'] ?? 0) + (counters['flood'] ?? 0),
      unsure: counters['dropped_unsure'] ?? 0,
    };
  } finally {
    await store.close();
  }
}
