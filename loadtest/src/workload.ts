/** The shape of the simulated traffic; every number is a CLI flag. */
export interface Workload {
  /** Concurrent virtual users. */
  users: number;
  /** Time over which users arrive, ms. */
  rampMs: number;
  /** Time after the ramp before the measured window opens, ms (the last arrivals settle in). */
  settleMs: number;
  /** Measured time after the ramp and the settling, ms. */
  durationMs: number;
  /** Mean think time between a chatting user's messages (exponential), ms. */
  thinkMs: number;
  /** Share of chat messages sent as a photo with a caption. */
  mediaShare: number;
  /** Mean length of a chat, ms (each side ends it after twice this, on average). */
  chatMs: number;
  /** Share of chat endings by ⛔ Stop (the user leaves and comes back); the rest use ⏭ Next. */
  stopShare: number;
  /** Mean pause after the partner left before pressing Find again, ms. */
  waitMs: number;
  /** Mean time a returning user spends on the welcome screen before Find, ms. */
  onboardMs: number;
  /** Mean time away after ⛔ Stop before /start again, ms. */
  awayMs: number;
  /** How often the generator posts a batch of updates, ms. */
  tickMs: number;
}

/**
 * The standard workload. Chats last 120 s; each chat is ended by one side: by Next (straight
 * back to the queue) or by Stop (away, then /start and the welcome screen again); the other side
 * waits a while after "partner ended" before pressing Find. Per user and cycle that is about
 * 120 s chatting, 15 s waiting (30 s for half the users) and 15 s arriving (60 s for a quarter),
 * i.e. the 80 / 10 / 10 mix. Messages every 8 s per chatting user give about 1,000 relays/s.
 */
export const STANDARD_WORKLOAD: Workload = {
  users: 10_000,
  rampMs: 60_000,
  settleMs: 0,
  durationMs: 300_000,
  thinkMs: 8_000,
  mediaShare: 0.05,
  chatMs: 120_000,
  stopShare: 0.5,
  waitMs: 30_000,
  onboardMs: 56_000,
  awayMs: 4_000,
  tickMs: 25,
};

/** A few hundred users for well under a minute, with short chats so every path is exercised. */
export const SMOKE_WORKLOAD: Workload = {
  users: 300,
  rampMs: 3_000,
  settleMs: 0,
  durationMs: 15_000,
  thinkMs: 3_000,
  mediaShare: 0.05,
  chatMs: 5_000,
  stopShare: 0.5,
  waitMs: 1_000,
  onboardMs: 1_000,
  awayMs: 500,
  tickMs: 25,
};

/** When the measured window opens, ms after the first user arrives. */
export function measuredFromMs(w: Workload): number {
  return w.rampMs + w.settleMs;
}

/**
 * The two forms of the capacity search (issue 16):
 * - `burst`: every user arrives within the run's ramp (at most 30 s) and the window opens at
 *   once, so a step also measures the onboarding rush of all its users;
 * - `steady`: users arrive at `arrivalRate` a second, a rate the machine can onboard, and the
 *   window opens `settleMs` after the last one, once they are chatting.
 */
export type CapacityForm = 'burst' | 'steady';

export interface CapacityPlan {
  readonly stepSeconds: number;
  /** Users a second in the steady form. */
  readonly arrivalRate: number;
  /** Seconds between the last arrival and the window, in the steady form. */
  readonly settleSeconds: number;
}

export function capacityWorkload(
  base: Workload,
  form: CapacityForm,
  users: number,
  plan: CapacityPlan,
): Workload {
  const durationMs = plan.stepSeconds * 1000;
  if (form === 'burst') {
    return { ...base, users, durationMs, rampMs: Math.min(base.rampMs, 30_000), settleMs: 0 };
  }
  return {
    ...base,
    users,
    durationMs,
    rampMs: Math.ceil((users / plan.arrivalRate) * 1000),
    settleMs: plan.settleSeconds * 1000,
  };
}
