/**
 * Periodic work and cluster-wide figures. One worker at a time holds the lease and runs the
 * sweep, so timers fire once across all workers; any worker may read the figures.
 */
export interface Upkeep {
  /** Takes or renews the lease for `ms`; true when `owner` holds it now. */
  holdLease(owner: string, ms: number): Promise<boolean>;
  /** Lets the lease go, if `owner` holds it. */
  releaseLease(owner: string): Promise<void>;
  /** Runs up to `limit` due timers (idle chats, queue expiry, rematches, widening). */
  sweep(limit: number): Promise<SweepResult>;
  /** The cluster's figures now. */
  stats(onlineWindowMs: number): Promise<ClusterStats>;
}

export interface SweepResult {
  readonly idleChatsEnded: number;
  readonly queueExpired: number;
  readonly matched: number;
  readonly matchedWaitedMs: number;
  /** Timers taken this round; as many as the limit means more may be due. */
  readonly taken: number;
}

export interface ClusterStats {
  /** Users with an update within the window. */
  readonly online: number;
  readonly chatting: number;
  /** Waiting users by queue bucket (every bucket, zeros included). */
  readonly waiting: Readonly<Record<string, number>>;
  /**
   * Totals since the store began: matches, messages, edits, flood, dropped_end, dropped_unsure
   * (copies of ended chats whose sender died mid-send: they may have arrived), dropped_cap,
   * dropped_notice, reports, bans, waited_ms.
   */
  readonly counters: Readonly<Record<string, number>>;
  /** Outbox entries owed, across all chats. */
  readonly owed: number;
  /** How late the earliest due outbox entry is (ms); 0 when none is late. */
  readonly lagMs: number;
  /** Journal records not yet stored in Postgres (the journal is never trimmed). */
  readonly journal: number;
  /** Rates over about the last minute (0 until a minute of history exists). */
  readonly perMinute: { readonly matches: number; readonly messages: number };
}
