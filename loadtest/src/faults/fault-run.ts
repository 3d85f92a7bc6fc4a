import { setTimeout as sleep } from 'node:timers/promises';
import { startTopology, type Topology } from '@hamdam/bot/testing';
import { loadTopology, runBlackBox, type SecondSample } from '../black-box-run.js';
import { seededRandom } from '../seeded-random.js';
import { SMOKE_WORKLOAD, type Workload } from '../workload.js';
import { People } from './people.js';
import type { PrivatePostgres, PrivateRedis } from './private-services.js';
import type { Check, FaultContext, Injected, Scenario } from './fault-context.js';

/** The suite's size: the full run, or the short form CI runs. */
export interface FaultScale {
  readonly users: number;
  readonly measuredMs: number;
  readonly outageMs: number;
  readonly pgOutageMs: number;
  readonly mutations: number;
}

export const FULL: FaultScale = {
  users: 300,
  measuredMs: 60_000,
  outageMs: 10_000,
  pgOutageMs: 30_000,
  mutations: 2_500,
};

export const SHORT: FaultScale = {
  users: 150,
  measuredMs: 26_000,
  outageMs: 4_000,
  pgOutageMs: 8_000,
  mutations: 600,
};

/** One row of the report. */
export interface FaultRow {
  readonly name: string;
  readonly fault: string;
  readonly sent: number;
  readonly delivered: number;
  /** Dropped on purpose by the bot (copies still owed when a chat ended, flood control). */
  readonly dropped: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly misrouted: number;
  readonly outOfOrder: number;
  /** Copies that reached the right person after their chat had ended there. */
  readonly late: number;
  /** The ledger's first few findings, to start an investigation from. */
  readonly examples: readonly string[];
  /** Seconds from the end of the fault until relays run under 1 s again; null if they never did. */
  readonly recoveryS: number | null;
  readonly relayP99Ms: number;
  readonly checks: readonly Check[];
  /** Each second of the row: copies relayed and their p99 (ms), for the report's JSON. */
  readonly seconds: readonly { t: number; relayed: number; p99: number }[];
  /** When the fault began and ended, seconds from the row's start. */
  readonly faultS: readonly [number, number];
  /** A row that measures the at-least-once window: its ledger is reported, not failed. */
  readonly window: boolean;
  readonly problems: readonly string[];
  readonly ok: boolean;
}

/** A message counts as back to normal when it crosses in under this. */
const RECOVERED_P99_MS = 1_000;

/**
 * One row: a fresh topology (two workers behind nginx, the emulator) on the suite's own Redis
 * and Postgres, a few hundred virtual users chatting through it, and the scenario's fault a
 * few seconds after the ramp. The ledger counts every tagged message.
 */
export async function runFault(
  scenario: Scenario,
  scale: FaultScale,
  services: { redis: PrivateRedis; postgres: PrivatePostgres },
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<FaultRow> {
  // Chats of 20 s with a message every 4 s on each side: short enough that every path runs
  // in a row, slow enough that Telegram's one message a second per chat is never the limit.
  const workload: Workload = {
    ...SMOKE_WORKLOAD,
    users: scale.users,
    rampMs: 3_000,
    durationMs: scale.measuredMs,
    thinkMs: 4_000,
    chatMs: 20_000,
  };
  const topology: Topology = await startTopology({
    ...loadTopology(2, 40),
    redisUrl: services.redis.url,
    databaseServerUrl: services.postgres.url,
    env: { ...scenario.env },
  });
  try {
    const people = new People(topology.emulatorUrl);
    let t0 = 0;
    let ownDrops: () => number = () => 0;
    let injectedAt = 0;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const ctx: FaultContext = {
      topology,
      ...services,
      people,
      scale,
      random: seededRandom(7),
      now: () => performance.now() - t0,
      log,
    };
    const fault = (async () => {
      await running;
      await sleep(workload.rampMs + 5_000);
      log(`${scenario.name}: injecting`);
      injectedAt = ctx.now();
      const injected: Injected = await scenario.inject(ctx).catch((err: unknown) => ({
        endedAt: ctx.now(),
        checks: [{ what: 'the fault ran', ok: false, detail: String(err) }],
      }));
      log(`${scenario.name}: fault over at ${(injected.endedAt / 1000).toFixed(1)} s`);
      ownDrops = injected.ownDrops ?? ownDrops;
      return injected;
    })();
    const [result, injected] = await Promise.all([
      runBlackBox(topology, workload, {
        workers: 2,
        random: seededRandom(1),
        record: 0,
        log: (line) => log(`${scenario.name}: ${line}`),
        drainMaxMs: 60_000,
        signal,
        observe: people.observe,
        ownDrops: () => ownDrops(),
        started: (at) => {
          t0 = at;
          started();
        },
      }),
      fault,
    ]);
    const l = result.ledger;
    const recoveryS = recovery(result.series, injected.endedAt);
    const problems: string[] = [];
    if (!scenario.window) {
      if (l.lost > 0) problems.push(`${l.lost} lost`);
      if (l.misrouted > 0) problems.push(`${l.misrouted} misrouted`);
      if (l.duplicated > 0) problems.push(`${l.duplicated} duplicated`);
      if (l.outOfOrder > 0) problems.push(`${l.outOfOrder} out of order`);
      if (l.late > 0) problems.push(`${l.late} late`);
      for (const [kind, n] of Object.entries(l.ruleViolations)) problems.push(`${n} × ${kind}`);
    }
    const ledgerProblems = problems.length > 0;
    if (recoveryS === null) problems.push('relays did not get back under 1 s');
    for (const c of injected.checks) if (!c.ok) problems.push(`${c.what}: ${c.detail}`);
    if (ledgerProblems) problems.push(...l.examples.slice(0, 5));
    return {
      name: scenario.name,
      fault: scenario.fault,
      sent: l.sent,
      delivered: l.delivered,
      dropped: l.dropped,
      lost: l.lost,
      duplicated: l.duplicated,
      misrouted: l.misrouted,
      outOfOrder: l.outOfOrder,
      late: l.late,
      examples: l.examples,
      recoveryS,
      relayP99Ms: result.relay.p99,
      checks: injected.checks,
      seconds: result.series.map((x) => ({
        t: x.t,
        relayed: x.relayed,
        p99: Math.round(x.relayP99),
      })),
      faultS: [Math.round(injectedAt / 100) / 10, Math.round(injected.endedAt / 100) / 10],
      window: scenario.window === true,
      problems,
      ok: problems.length === 0,
    };
  } finally {
    // A fault that failed half-way may have left a store stopped: teardown and the next row
    // need it.
    await services.redis.ensureRunning();
    await services.postgres.ensureRunning();
    await topology.close();
  }
}

/**
 * Seconds from the fault's end to the first of three seconds in a row whose relayed copies
 * crossed in under a second at p99 (seconds with no copies do not count either way).
 */
export function recovery(series: readonly SecondSample[], endedAtMs: number): number | null {
  const after = series.filter((s) => s.t * 1000 > endedAtMs && s.relayed > 0);
  for (let i = 0; i + 3 <= after.length; i++) {
    if (after.slice(i, i + 3).every((s) => s.relayP99 <= RECOVERED_P99_MS)) {
      const start = (after[i]!.t - 1) * 1000;
      return Math.max(0, Math.round((start - endedAtMs) / 100) / 10);
    }
  }
  return null;
}
