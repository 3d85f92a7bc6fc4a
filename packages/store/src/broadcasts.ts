import type { Outgoing } from '@hamdam/domain';

/**
 * One broadcast at a time, its state in the store so any worker holding the lease carries it
 * on after a restart. Its messages go through the outbox like any other (the global send
 * budget, pacing), counted as delivered or not when the dispatcher settles them.
 */
export interface Broadcasts {
  /** Starts a broadcast of `call` to `total` users; false when one is already running. */
  start(admin: number, call: Outgoing, total: number): Promise<boolean>;
  /** The one under way (or the last one), or null. */
  status(): Promise<BroadcastStatus | null>;
  /** Queues the message for these chats and moves the cursor; `last` when none are left. */
  enqueue(chats: readonly number[], cursor: number, last: boolean): Promise<void>;
  /**
   * Tells the admin how it goes (at most every `progressEveryMs`) and finishes it once every
   * queued message is settled. Returns the state after.
   */
  check(progressEveryMs: number): Promise<BroadcastStatus['state'] | null>;
}

export interface BroadcastStatus {
  readonly state: 'running' | 'done';
  readonly admin: number;
  /** The last user id (Postgres) queued; paging resumes after it. */
  readonly cursor: number;
  readonly total: number;
  readonly queued: number;
  readonly sent: number;
  readonly failed: number;
  /** Every user has been queued; what remains is delivery. */
  readonly allQueued: boolean;
}
