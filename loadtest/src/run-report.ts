import type { BlackBoxResult } from './black-box-run.js';
import type { DirectResult } from './direct-driver.js';
import type { LatencySummary } from './latency-histogram.js';
import type { ProfileSummary } from './profile-summary.js';
import type { CapacityForm } from './workload.js';

export interface CapacityStep {
  users: number;
  relayP99: number;
  webhookP99: number;
  updatesPerSec: number;
  lost: number;
  duplicated: number;
  misrouted: number;
  holds: boolean;
}

/** One form of the capacity search (workload.ts, capacityWorkload): its steps, up to the first that failed. */
export interface CapacitySearch {
  form: CapacityForm;
  steps: CapacityStep[];
  largestHolding: number;
}

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

/** Everything one invocation measured; written as JSON and rendered as pages. */
export interface RunReport {
  startedAt: string;
  command: string;
  machine: { cpus: number; memoryGb: number; node: string; loadAverage: number[] };
  blackBox: Omit<BlackBoxResult, 'recorded'> | null;
  direct: { bot: DirectResult; ceiling: DirectResult; ratio: number } | null;
  capacity: {
    stepSeconds: number;
    /** The steady form's arrivals a second and settling seconds. */
    arrivalRate: number;
    settleSeconds: number;
    searches: CapacitySearch[];
  } | null;
  /** The black-box run's workers' CPU profiles over its window (with --profile). */
  profile: ProfileSummary | null;
  targets: TargetCheck[];
  notes: string[];
}

const ms = (n: number) => `${n} ms`;

/** The issue's targets against what was measured; null where the run did not measure it. */
export function checkTargets(report: Omit<RunReport, 'targets'>): TargetCheck[] {
  const b = report.blackBox;
  const out: TargetCheck[] = [];
  const add = (name: string, target: string, measured: string, met: boolean | null) =>
    out.push({ name, target, measured, met });
  if (b) {
    const l = b.ledger;
    add(
      'users held',
      `${b.workload.users} for ${b.workload.durationMs / 1000} s`,
      `${b.workload.users} users, ${b.measuredSeconds} s, ${b.workerRestarts} worker restarts`,
      b.workerRestarts === 0,
    );
    add(
      'lost / duplicated / misrouted',
      '0 / 0 / 0',
      `${l.lost} / ${l.duplicated} / ${l.misrouted}${l.late > 0 ? ` (and ${l.late} late)` : ''}`,
      l.lost + l.duplicated + l.misrouted + l.late === 0 &&
        Object.keys(l.ruleViolations).length === 0,
    );
    add('webhook p99', '≤ 25 ms', ms(b.webhook.p99), b.webhook.p99 <= 25);
    add('relay p99', '≤ 100 ms', ms(b.relay.p99), b.relay.p99 <= 100);
    add(
      'match wait p99 (partner queued)',
      '≤ 50 ms',
      ms(b.matchDirect.p99),
      b.matchDirect.p99 <= 50,
    );
    add('RSS per worker', '≤ 200 MB', `${b.maxRssMb} MB (max)`, b.maxRssMb <= 200);
  }
  // Issue 16: the steady form holds at least 20,000 users, the burst form 15,000.
  for (const c of report.capacity?.searches ?? []) {
    const goal = c.form === 'steady' ? 20_000 : 15_000;
    add(
      `capacity, ${c.form} (relay p99 < 250 ms)`,
      `≥ ${goal.toLocaleString('en')} users`,
      `${c.largestHolding} users`,
      c.largestHolding >= goal,
    );
  }
  if (report.direct)
    add(
      'bot ÷ ceiling throughput',
      '≥ 40 %',
      `${Math.round(report.direct.ratio * 1000) / 10} %`,
      report.direct.ratio >= 0.4,
    );
  return out;
}

export function summaryRow(name: string, s: LatencySummary): string {
  return `| ${name} | ${s.count} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${s.mean} |`;
}
