import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { openRedis } from '@hamdam/store';
import type { Topology } from '@hamdam/bot/testing';
import { commandStats, type CommandStats } from './redis-cost.js';

/** CPU (% of one core) and RSS of one process over the last second. */
export interface ProcessSample {
  cpu: number;
  rssMb: number;
}

/**
 * One sample a second: per-worker CPU, RSS and pauses (garbage collection and the longest
 * event-loop delay, both over the last second), Redis, the emulator and this process.
 */
export interface ResourceSample {
  t: number;
  workers: (ProcessSample & { pid: number; gcMs: number; loopMaxMs: number })[];
  redis: { opsPerSec: number; memoryMb: number; cpu: number };
  emulator: ProcessSample;
  generator: ProcessSample;
  /** The whole machine, every process and the kernel: % of all cores busy (100 = saturated). */
  machineBusy: number;
  pgPoolWaiting: number;
}

export interface WorkerCounters {
  /** hamdam_updates_total and hamdam_sends_total summed over workers, by label set. */
  updates: Record<string, number>;
  sends: Record<string, number>;
  /**
   * The workers' own webhook latency (request in → answer out, inside the worker), from
   * hamdam_update_duration_seconds summed over workers, whole run: what nginx, the network and
   * the emulator's event loop add is the difference to the emulator's figure.
   */
  inWorker: HistogramSummary;
  /** One Bot API call as the dispatcher sees it (hamdam_send_duration_seconds), whole run. */
  sendCall: HistogramSummary;
}

export interface HistogramSummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** A Prometheus histogram summed over several scrapes; quantiles are bucket upper bounds. */
export function histogramSummary(texts: readonly string[], name: string): HistogramSummary {
  const buckets = new Map<number, number>();
  let count = 0;
  let sum = 0;
  for (const text of texts) {
    for (const [k, v] of scrape(text, `${name}_bucket`)) {
      const le = Number(/le="([^"]+)"/.exec(k)?.[1] ?? NaN);
      if (!Number.isNaN(le)) buckets.set(le, (buckets.get(le) ?? 0) + v);
    }
    for (const v of scrape(text, `${name}_count`).values()) count += v;
    for (const v of scrape(text, `${name}_sum`).values()) sum += v;
  }
  // Cumulative buckets: the quantile is the upper bound of the first bucket reaching it.
  const bounds = [...buckets].sort((a, b) => a[0] - b[0]);
  const quantile = (q: number) => {
    const hit = bounds.find(([, n]) => n >= q * count);
    return hit === undefined || !Number.isFinite(hit[0]) ? NaN : hit[0] * 1000;
  };
  return {
    count,
    meanMs: count === 0 ? 0 : Math.round((sum / count) * 1e5) / 100,
    p50Ms: quantile(0.5),
    p95Ms: quantile(0.95),
    p99Ms: quantile(0.99),
  };
}

const TICKS_PER_SEC = 100;

async function cpuTicks(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Busy and total jiffies of all cores since boot, from the first line of /proc/stat. */
async function machineTicks(): Promise<{ busy: number; total: number }> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    // user nice system idle iowait irq softirq steal ...
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, n) => a + n, 0);
    return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Prometheus text → value of lines starting with `name{` or `name `, keyed by labels. */
export function scrape(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const space = line.lastIndexOf(' ');
    const labels = rest[0] === '{' ? rest.slice(1, rest.indexOf('}')) : '';
    out.set(labels, (out.get(labels) ?? 0) + Number(line.slice(space + 1)));
  }
  return out;
}

function sum(values: Map<string, number>): number {
  let total = 0;
  for (const v of values.values()) total += v;
  return total;
}

/** Samples the processes behind a topology once a second until stopped. */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  readonly #topology: Topology;
  readonly #workers: number;
  readonly #redis: Redis;
  #pids: number[] = [];
  #redisPid = 0;
  #lastTicks = new Map<number, number>();
  #lastGcMs = new Map<number, number>();
  #lastMachine = { busy: 0, total: 0 };
  #lastAt = 0;
  #lastSelf = process.cpuUsage();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  restarts = 0;
  /** Every worker process seen, restarted ones included. */
  readonly workerPids = new Set<number>();
  maxRssMb = 0;
  maxPgPoolWaiting = 0;

  constructor(topology: Topology, workers: number, redisUrl: string) {
    this.#topology = topology;
    this.#workers = workers;
    this.#redis = openRedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    // A fault may keep Redis away for a while: that second's sample is skipped, not reported.
    this.#redis.on('error', () => undefined);
  }

  /** Redis's INFO commandstats now. */
  commandStats(): Promise<CommandStats> {
    return commandStats(this.#redis);
  }

  async start(origin: number): Promise<void> {
    await this.#redis.connect();
    this.#pids = await this.#readPids();
    for (const pid of this.#pids) if (pid !== 0) this.workerPids.add(pid);
    this.#redisPid = Number(/process_id:(\d+)/.exec(await this.#redis.info('server'))?.[1] ?? 0);
    this.#lastAt = performance.now();
    for (const pid of [...this.#pids, this.#redisPid, this.#topology.emulatorPid])
      this.#lastTicks.set(pid, (await cpuTicks(pid)) ?? 0);
    this.#lastSelf = process.cpuUsage();
    this.#lastMachine = await machineTicks();
    this.#timer = setInterval(() => {
      if (this.#busy) return;
      this.#busy = true;
      void this.#sample(origin)
        .catch(() => undefined)
        .finally(() => (this.#busy = false));
    }, 1_000);
  }

  async #readPids(): Promise<number[]> {
    return Promise.all(
      Array.from({ length: this.#workers }, (_, i) => this.#topology.workerPid(i).catch(() => 0)),
    );
  }

  async #cpu(pid: number, seconds: number): Promise<number> {
    const ticks = await cpuTicks(pid);
    if (ticks === null) return 0;
    const before = this.#lastTicks.get(pid) ?? ticks;
    this.#lastTicks.set(pid, ticks);
    return Math.round(((ticks - before) / TICKS_PER_SEC / seconds) * 1000) / 10;
  }

  async #sample(origin: number): Promise<void> {
    const now = performance.now();
    const seconds = (now - this.#lastAt) / 1000;
    this.#lastAt = now;
    // A worker that died and came back has a new pid; notice it.
    if (this.samples.length % 10 === 0) {
      const pids = await this.#readPids();
      for (let i = 0; i < pids.length; i++)
        if (pids[i] !== this.#pids[i] && pids[i] !== 0) this.restarts++;
      this.#pids = pids.map((p, i) => (p === 0 ? (this.#pids[i] ?? 0) : p));
      for (const pid of this.#pids) if (pid !== 0) this.workerPids.add(pid);
    }
    // Scraping resets the workers' event-loop maximum, so each sample holds its own second's.
    const texts = await Promise.all(this.#pids.map((_, i) => this.#metrics(i)));
    const workers = await Promise.all(
      this.#pids.map(async (pid, i) => {
        const text = texts[i] ?? '';
        const gcTotalMs = sum(scrape(text, 'hamdam_nodejs_gc_duration_seconds_sum')) * 1000;
        const gcMs = Math.max(0, gcTotalMs - (this.#lastGcMs.get(pid) ?? gcTotalMs));
        this.#lastGcMs.set(pid, gcTotalMs);
        return {
          pid,
          cpu: await this.#cpu(pid, seconds),
          rssMb: Math.round(await rssMb(pid)),
          gcMs: Math.round(gcMs * 10) / 10,
          loopMaxMs:
            Math.round(sum(scrape(text, 'hamdam_nodejs_eventloop_lag_max_seconds')) * 1e4) / 10,
        };
      }),
    );
    for (const w of workers) this.maxRssMb = Math.max(this.maxRssMb, w.rssMb);
    const info = await this.#redis.info();
    const field = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? 0);
    const self = process.cpuUsage(this.#lastSelf);
    this.#lastSelf = process.cpuUsage();
    let waiting = 0;
    for (const text of texts) waiting += sum(scrape(text, 'hamdam_pg_pool_waiting'));
    this.maxPgPoolWaiting = Math.max(this.maxPgPoolWaiting, waiting);
    const emulatorPid = this.#topology.emulatorPid;
    const machine = await machineTicks();
    const spent = machine.total - this.#lastMachine.total;
    const machineBusy =
      spent <= 0 ? 0 : Math.round(((machine.busy - this.#lastMachine.busy) / spent) * 1000) / 10;
    this.#lastMachine = machine;
    this.samples.push({
      t: Math.round((now - origin) / 100) / 10,
      workers,
      redis: {
        opsPerSec: field('instantaneous_ops_per_sec'),
        memoryMb: Math.round(field('used_memory') / 1024 / 102.4) / 10,
        cpu: await this.#cpu(this.#redisPid, seconds),
      },
      emulator: {
        cpu: await this.#cpu(emulatorPid, seconds),
        rssMb: Math.round(await rssMb(emulatorPid)),
      },
      generator: {
        cpu: Math.round(((self.user + self.system) / 1e6 / seconds) * 1000) / 10,
        rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
      },
      machineBusy,
      pgPoolWaiting: waiting,
    });
  }

  async #metrics(worker: number): Promise<string> {
    try {
      const response = await fetch(`${this.#topology.workerUrl(worker)}/metrics`);
      return await response.text();
    } catch {
      return '';
    }
  }

  /** Each worker's metrics page now. */
  async scrapeWorkers(): Promise<string[]> {
    const texts: string[] = [];
    for (let i = 0; i < this.#workers; i++) texts.push(await this.#metrics(i));
    return texts;
  }

  /** The workers' own counters of updates and sends, by outcome, and their latency histograms. */
  async counters(): Promise<WorkerCounters> {
    const updates: Record<string, number> = {};
    const sends: Record<string, number> = {};
    const texts: string[] = [];
    for (let i = 0; i < this.#workers; i++) {
      const text = await this.#metrics(i);
      texts.push(text);
      for (const [k, v] of scrape(text, 'hamdam_updates_total')) updates[k] = (updates[k] ?? 0) + v;
      for (const [k, v] of scrape(text, 'hamdam_sends_total')) sends[k] = (sends[k] ?? 0) + v;
    }
    return {
      updates,
      sends,
      inWorker: histogramSummary(texts, 'hamdam_update_duration_seconds'),
      sendCall: histogramSummary(texts, 'hamdam_send_duration_seconds'),
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#redis.disconnect();
  }
}
