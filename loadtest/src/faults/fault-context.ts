// What a fault row is and what it may use: the types the suite runs on, and the few actions
// several rows share (the emulator's control routes, killing a worker, asking for readiness).
import type { Topology } from '@hamdam/bot/testing';
import type { People } from './people.js';
import type { PrivatePostgres, PrivateRedis } from './private-services.js';

/** One check a fault row makes beyond the ledger; the row fails when one does not hold. */
export interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What a scenario's fault did. */
export interface Injected {
  /** When the fault's cause went away (ms since the run's start); recovery is measured from it. */
  readonly endedAt: number;
  readonly checks: readonly Check[];
  /**
   * Messages the bot dropped on purpose in the hand-driven people's chats (not in the ledger),
   * read when the row ends, once everything owed has arrived.
   */
  readonly ownDrops?: () => number;
}

export interface FaultContext {
  readonly topology: Topology;
  readonly redis: PrivateRedis;
  readonly postgres: PrivatePostgres;
  readonly people: People;
  /** Outage lengths and counts: the full suite's, or the short form's. */
  readonly scale: {
    readonly outageMs: number;
    readonly pgOutageMs: number;
    readonly mutations: number;
  };
  readonly random: () => number;
  /** ms since the run's start. */
  now(): number;
  log(line: string): void;
}

export interface Scenario {
  readonly name: string;
  /** The fault, as the report's row says it. */
  readonly fault: string;
  /** Extra environment for the workers of this row. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The row measures the at-least-once window: calls the bot gave up on were carried out and
   * are sent again, so copies and notices arrive twice (a repeated "partner found" also
   * confuses the ledger's idea of where a chat begins). Its ledger is reported, not failed.
   */
  readonly window?: boolean;
  /** Left out of the short form CI runs (a comparison or a measurement, not a guarantee). */
  readonly fullOnly?: boolean;
  inject(ctx: FaultContext): Promise<Injected>;
}

export const check = (what: string, ok: boolean, detail: string): Check => ({ what, ok, detail });

export async function control(ctx: FaultContext, method: string, path: string, body?: unknown) {
  const response = await fetch(`${ctx.topology.emulatorUrl}/control${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

export async function workerPids(ctx: FaultContext): Promise<number[]> {
  const pids: number[] = [];
  for (let i = 0; i < 2; i++) pids.push(await ctx.topology.workerPid(i));
  return pids;
}

/** Kills worker `index` with SIGKILL and waits for the supervisor to bring up another. */
export async function killWorker(ctx: FaultContext, index: number): Promise<Check> {
  const before = await ctx.topology.workerPid(index);
  process.kill(before, 'SIGKILL');
  const started = performance.now();
  try {
    await ctx.topology.waitForWorkers(30_000);
    const after = await ctx.topology.workerPid(index);
    const s = ((performance.now() - started) / 1000).toFixed(1);
    return check('worker replaced', after !== before, `new worker up in ${s} s`);
  } catch (err) {
    return check('worker replaced', false, String(err));
  }
}

export async function readiness(ctx: FaultContext): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await fetch(`${ctx.topology.workerUrl(i)}/readyz`).catch(() => null);
    answers.push(
      response ? `${response.status} ${JSON.stringify(await response.json())}` : 'no answer',
    );
  }
  return answers;
}
