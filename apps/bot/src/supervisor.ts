import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from 'pino';

export interface SupervisorOptions {
  readonly workers: number;
  /** The worker entry script. */
  readonly entry: string;
  /** Environment of every worker; WORKER_INDEX is added per worker. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** A worker that does not exit this long after SIGTERM is killed. */
  readonly stopTimeoutMs?: number;
  /** A started worker that does not report ready in this time is restarted. */
  readonly readyTimeoutMs?: number;
}

interface Slot {
  readonly index: number;
  child: ChildProcess | null;
  startedAt: number;
  /** Deaths since the slot last ran a while (the backoff's exponent). */
  crashes: number;
  /** Deaths since the supervisor started; handed to the worker for its restart counter. */
  restarts: number;
  /** Set while the supervisor itself stops this worker, so its exit is not a crash. */
  stopping: boolean;
  restartTimer: NodeJS.Timeout | null;
}

/**
 * V8's heap settings of a worker, each measured with the standard load test
 * (docs/performance.md): a young generation of 8 MB semispaces (V8's default on 64-bit is
 * 16 MB), and an old generation collected once it has grown by half of what the last
 * collection kept (V8 otherwise lets it grow up to fourfold). A worker's live heap is small
 * (about 35 MB) and what it promotes lives briefly, so both keep its RSS down for little CPU.
 */
const WORKER_HEAP_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'] as const;

/**
 * Node flags of a worker: the supervisor's own (e.g. `--cpu-prof`), plus the heap settings
 * above. A setting of the operator's own, in NODE_OPTIONS or on the supervisor's command line,
 * wins (V8 reads `--heap_growing_percent` as `--heap-growing-percent`).
 */
export function workerExecArgv(
  nodeOptions: string | undefined,
  supervisorArgs: readonly string[],
): string[] {
  const given = [...(nodeOptions ?? '').split(/\s+/), ...supervisorArgs].map(flagName);
  return [
    ...supervisorArgs,
    ...WORKER_HEAP_FLAGS.filter((flag) => !given.includes(flagName(flag))),
  ];
}

const flagName = (arg: string): string => arg.split('=')[0]!.replaceAll('_', '-');

/** Message a worker sends over IPC once it listens. */
export const READY_MESSAGE = 'hamdam:ready';

/**
 * Runs WORKERS worker processes, worker i on PORT+i. A worker that dies is restarted with
 * exponential backoff (reset once it has run a while); SIGTERM drains all; a rolling restart
 * replaces them one at a time, waiting for each replacement to listen before the next, so
 * nginx always has live upstreams and no update is turned away.
 */
export class Supervisor {
  readonly #o: Required<SupervisorOptions>;
  readonly #slots: Slot[];
  #stopped = false;

  constructor(options: SupervisorOptions) {
    this.#o = { stopTimeoutMs: 30_000, readyTimeoutMs: 60_000, ...options };
    this.#slots = Array.from({ length: options.workers }, (_, index) => ({
      index,
      child: null,
      startedAt: 0,
      crashes: 0,
      restarts: 0,
      stopping: false,
      restartTimer: null,
    }));
  }

  /**
   * Starts every worker; resolves once each has reported ready or failed to, with the indexes
   * of those that are ready (the others are being restarted with backoff).
   */
  async start(): Promise<number[]> {
    const ready = await Promise.all(this.#slots.map((slot) => this.#spawn(slot)));
    return this.#slots.filter((_, i) => ready[i]).map((slot) => slot.index);
  }

  /** Pids of the running workers, by index (for tests and the operator). */
  pids(): (number | null)[] {
    return this.#slots.map((s) => s.child?.pid ?? null);
  }

  async rollingRestart(): Promise<void> {
    for (const slot of this.#slots) {
      if (this.#stopped) return;
      this.#o.logger.info({ worker: slot.index }, 'restarting worker');
      await this.#stopSlot(slot);
      await this.#spawn(slot);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#slots.map((slot) => this.#stopSlot(slot)));
  }

  async #spawn(slot: Slot): Promise<boolean> {
    if (this.#stopped) return false;
    const child = fork(this.#o.entry, [], {
      env: {
        ...this.#o.env,
        WORKER_INDEX: String(slot.index),
        WORKER_RESTARTS: String(slot.restarts),
      },
      execArgv: workerExecArgv(this.#o.env['NODE_OPTIONS'], process.execArgv),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.child = child;
    slot.startedAt = Date.now();
    slot.stopping = false;
    child.once('exit', (code, signal) => this.#onExit(slot, child, code, signal));
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.#o.readyTimeoutMs);
      child.on('message', (message) => {
        if (message === READY_MESSAGE) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (await ready) return true;
    if (slot.child === child && !child.killed && child.exitCode === null) {
      this.#o.logger.error({ worker: slot.index }, 'worker did not become ready; killing it');
      child.kill('SIGKILL');
    }
    return false;
  }

  #onExit(
    slot: Slot,
    child: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (slot.child !== child) return;
    slot.child = null;
    if (slot.stopping || this.#stopped) return;
    // A worker that ran for a while before dying starts a fresh backoff sequence.
    if (Date.now() - slot.startedAt > 30_000) slot.crashes = 0;
    const delay = Math.min(10_000, 100 * 2 ** slot.crashes);
    slot.crashes++;
    slot.restarts++;
    this.#o.logger.error({ worker: slot.index, code, signal, restartInMs: delay }, 'worker died');
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      void this.#spawn(slot);
    }, delay);
  }

  async #stopSlot(slot: Slot): Promise<void> {
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    const child = slot.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    slot.stopping = true;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.#o.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
