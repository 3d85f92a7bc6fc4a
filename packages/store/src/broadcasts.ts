import type { Outgoing, Stamp } from '@hamdam/domain';

/**
 * One broadcast at a time, its state in the store so any worker holding the lease carries it
 * on after a restart. Its messages go through the outbox like any other (the global send
 * budget, pacing), each counted once as delivered or not: when the dispatcher settles it, or
 * when its user blocks the bot first. So every broadcast finishes, or is cancelled.
 */
export interface Broadcasts {
  /**
   * The admin's /broadcast of `call` to `total` users: 'busy' (and the admin told so) while
   * one runs; 'duplicate' for a redelivered update, which starts nothing.
   */
  start(request: BroadcastRequest, call: Outgoing, total: number): Promise<BroadcastStartResult>;
  /**
   * The admin's /broadcast cancel: what is not sent yet is not sent, and the admin is told the
   * counts (or that none runs).
   */
  cancel(request: BroadcastRequest): Promise<BroadcastCancelResult>;
  /** The one under way (or the last one), or null. */
  status(): Promise<BroadcastStatus | null>;
  /**
   * Queues one page and moves the cursor, fenced: only while `page.owner` holds the lease and
   * the cursor is still `page.after`, so a holder that stalled past its lease cannot queue a
   * page again. False when nothing was queued.
   */
  enqueue(page: BroadcastPage): Promise<boolean>;
  /**
   * Tells the admin how it goes (at most every `progressEveryMs`) and finishes it once every
   * queued message is settled. Returns the state after.
   */
  check(progressEveryMs: number): Promise<BroadcastStatus['state'] | null>;
}

/** Who asked, by which update (null: not from an update). */
export interface BroadcastRequest {
  readonly chatId: number;
  readonly stamp: Stamp | null;
}

export type BroadcastStartResult = 'started' | 'busy' | 'duplicate';
export type BroadcastCancelResult = 'cancelled' | 'not-running' | 'duplicate';

export interface BroadcastPage {
  /** The lease holder queueing it. */
  readonly owner: string;
  /** The cursor this page starts after, as the holder read it. */
  readonly after: number;
  /** The last user id (Postgres) of the page: the cursor after it. */
  readonly cursor: number;
  readonly chats: readonly number[];
  /** No users are left after this page. */
  readonly last: boolean;
}

export interface BroadcastStatus {
  readonly state: 'running' | 'done' | 'cancelled';
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
