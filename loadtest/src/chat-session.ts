/**
 * One chat as one virtual user lived it: from the "matched" it received to the marker that
 * closed it. Both users of a chat have their own session; the ledger pairs them up from the
 * copies they exchange, because the bot never says who the partner is.
 */
export interface ChatSession {
  readonly id: number;
  readonly user: number;
  /** When each tagged message of this session was posted to the emulator (ms, monotonic). */
  readonly sentAt: number[];
  /** Copies of each message seen at the right partner. */
  readonly delivered: number[];
  /** The session that received this session's copies, learned from the first one; -1 unknown. */
  to: number;
  /** The session whose copies this session received; -1 unknown. */
  from: number;
  /** The user was told "your partner ended/left the chat" in this session. */
  endedByPartner: boolean;
  /** The user was told "you ended the chat" in this session. */
  youEnded: boolean;
  /** How the user itself ended it, if it did. */
  ownEnd: 'next' | 'stop' | null;
  /** "You are not in a chat" replies received after this session ended. */
  refusals: number;
  /** The highest message index delivered so far; an earlier one arriving later is out of order. */
  lastDelivered: number;
}

export function newSession(id: number, user: number): ChatSession {
  return {
    id,
    user,
    sentAt: [],
    delivered: [],
    to: -1,
    from: -1,
    endedByPartner: false,
    youEnded: false,
    ownEnd: null,
    refusals: 0,
    lastDelivered: -1,
  };
}
