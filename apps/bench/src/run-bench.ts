import { arch, cpus, release, totalmem, type } from 'node:os';
import type { Redis } from 'ioredis';
import { openBenchRedis, redisVersion, type BenchRedis } from './bench-redis.js';
import { IdSource } from './population.js';
import { queueFill, type QueueFillResult } from './queue-fill.js';
import { queueScale, type QueueScaleResult } from './queue-scale.js';
import type { ScenarioContext } from './scenario-kit.js';
import { standingQueue, type ArrivalLevelResult } from './standing-queue.js';
import { medianOfRuns } from './stats.js';

export interface BenchSettings {
  /** Scenario A: users who each press find once. */
  readonly users: number;
  readonly runs: number;
  /** Store connections, one per simulated bot worker. */
  readonly connections: number;
  /** Calls in flight in closed-loop phases, spread over the connections. */
  readonly concurrency: number;
  /** Scenario B: size of the standing queue. */
  readonly waiting: number;
  /** Scenario B: paced arrival rates per second; an unpaced level always follows. */
  readonly offeredLoads: readonly number[];
  readonly levelSeconds: number;
  /** Scenario C: queue sizes to compare. */
  readonly queueSizes: readonly number[];
  /** Scenario C: arrivals (each followed by a newcomer) measured per queue size. */
  readonly probes: number;
}

/**
 * The defaults scale from the user count: B's queue is as large as A's crowd and C compares
 * 100, that many and five times that many waiting (100 / 10,000 / 50,000 by default).
 * About two minutes on a 2-core machine with Redis on the same host.
 */
export function defaultSettings(users = 10_000, runs = 5): BenchSettings {
  return {
    users,
    runs,
    connections: 4,
    concurrency: 64,
    waiting: users,
    offeredLoads: [100, 1_000, 5_000],
    levelSeconds: 2,
    queueSizes: [...new Set([100, users, users * 5])].sort((a, b) => a - b),
    probes: 1_000,
  };
}

export interface MachineInfo {
  readonly os: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly redis: string;
}

export interface RunResult {
  readonly run: number;
  readonly queueFill: QueueFillResult;
  readonly arrivals: readonly ArrivalLevelResult[];
  readonly queueScale: readonly QueueScaleResult[];
}

export interface BenchReport {
  readonly benchmark: 'matchmaking';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  readonly settings: BenchSettings;
  /** Where the run kept its keys; all of them are deleted by the time the report exists. */
  readonly keyPrefix: string;
  /** Every scenario run was checked; a violation ends the benchmark, so this is always true. */
  readonly checksPassed: true;
  readonly scenarioRunsChecked: number;
  /** Per-field medians over the runs. */
  readonly medians: Omit<RunResult, 'run'>;
  readonly runs: readonly RunResult[];
}

export interface BenchOptions {
  readonly redisUrl: string;
  readonly settings: BenchSettings;
  readonly signal?: AbortSignal;
  /** Receives one line per finished step; the CLI prints them to stderr. */
  readonly progress?: (line: string) => void;
}

/**
 * Runs every scenario `runs` times against the real Redis store and returns the results
 * with their medians. All keys live under a fresh prefix, wiped before each scenario step
 * and, whatever happens, at the end. Throws an InvariantError on any correctness violation.
 */
export async function runMatchmakingBench(options: BenchOptions): Promise<BenchReport> {
  const { settings, signal } = options;
  const progress = options.progress ?? (() => {});
  const startedAt = new Date();
  const redis = await openBenchRedis(options.redisUrl, settings.connections);
  try {
    const machine = await machineInfo(redis.admin);
    const ctx: ScenarioContext = {
      redis,
      ids: new IdSource(),
      signal,
      concurrency: settings.concurrency,
    };
    const runs: RunResult[] = [];
    let checked = 0;
    for (let run = 1; run <= settings.runs; run++) {
      const seed = run * 1_000;
      const tag = `run ${run}/${settings.runs}`;
      const fill = await queueFill(ctx, settings.users, seed);
      checked += 1;
      progress(
        `${tag} queue fill: ${fill.pairs} pairs, ${fill.queued} left waiting, ` +
          `${fill.matchesPerSec} matches/s, p99 ${fill.latency.p99Ms} ms`,
      );
      const arrivals = await standingQueue(ctx, settings, seed + 100);
      checked += arrivals.length;
      for (const a of arrivals) {
        progress(
          `${tag} arrivals ${a.offeredPerSec === null ? 'unpaced' : `${a.offeredPerSec}/s`}: ` +
            `${a.matchesPerSec} matches/s, p50 ${a.latency.p50Ms} ms, p99 ${a.latency.p99Ms} ms`,
        );
      }
      const scale: QueueScaleResult[] = [];
      for (const [i, size] of settings.queueSizes.entries()) {
        const result = await queueScale(ctx, size, settings.probes, seed + 200 + i * 10);
        checked += 1;
        progress(
          `${tag} queue of ${size}: match p50 ${result.match.p50Ms} ms, ` +
            `server ${result.serverUsPerFind} µs/find`,
        );
        scale.push(result);
      }
      runs.push({ run, queueFill: fill, arrivals, queueScale: scale });
    }
    const finishedAt = new Date();
    return {
      benchmark: 'matchmaking',
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10,
      machine,
      settings,
      keyPrefix: redis.prefix,
      checksPassed: true,
      scenarioRunsChecked: checked,
      medians: {
        queueFill: medianOfRuns(runs.map((r) => r.queueFill)),
        arrivals: runs[0]!.arrivals.map((_, i) => medianOfRuns(runs.map((r) => r.arrivals[i]!))),
        queueScale: runs[0]!.queueScale.map((_, i) =>
          medianOfRuns(runs.map((r) => r.queueScale[i]!)),
        ),
      },
      runs,
    };
  } finally {
    await cleanUp(redis, progress);
  }
}

async function cleanUp(redis: BenchRedis, progress: (line: string) => void): Promise<void> {
  try {
    await redis.wipe();
    // A second pass must find nothing: every call was answered before the first one began.
    const left = await redis.wipe();
    if (left > 0) progress(`clean-up: ${left} keys under ${redis.prefix} appeared late, removed`);
  } catch (err) {
    progress(
      `clean-up failed, keys may remain under ${redis.prefix}: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    await redis.close();
  }
}

async function machineInfo(admin: Redis): Promise<MachineInfo> {
  const cores = cpus();
  return {
    os: `${type()} ${release()} ${arch()}`,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpuCount: cores.length,
    totalMemoryBytes: totalmem(),
    node: process.version,
    redis: await redisVersion(admin),
  };
}
