import { newSession, type ChatSession } from './chat-session.js';
import { LatencyHistogram } from './latency-histogram.js';

/** What the ledger found, message by message. */
export interface LedgerResult {
  sent: number;
  expected: number;
  delivered: number;
  /** Refused by the bot with "you are not in a chat" after the partner had ended it. */
  refused: number;
  /**
   * Never arrived, and accounted for by the bot's own count of what it dropped on purpose:
   * copies still owed when their chat ended (and any flood-control or cap drops).
   */
  dropped: number;
  lost: number;
  duplicated: number;
  misrouted: number;
  /** Copies that reached the partner after a later message of the same sender. */
  outOfOrder: number;
  /**
   * Copies that reached the right person after their chat had ended there (the receiver had
   * been told the chat was over, or was in a later chat). Counted as delivered; possible only
   * when a call the bot gave up on is carried out anyway.
   */
  late: number;
  /** Inconsistencies of the refusal rule: each is an error, never a statistic. */
  ruleViolations: Record<string, number>;
  /** The first few problems, to start an investigation from. */
  examples: string[];
}

/** The bot's own count of what it dropped on purpose (see `result`). */
export interface BotDrops {
  readonly sure: number;
  readonly unsure: number;
}

const TAG = /^t([0-9a-z]+)\.([0-9a-z]+)$/;

/**
 * Every relayed message carries a unique tag `t<session>.<index>` (base 36). The ledger knows
 * which session sent it and when, checks where each copy lands, and at the end counts what was
 * lost, duplicated or misrouted.
 *
 * The rule for messages in flight when a chat ends (loadtest/README.md, "The ledger"): a
 * message is expected at the partner unless the bot refused it, and a refusal is only accepted
 * in the one form the bot can legitimately produce. A user's updates are handled in order and its chat receives the
 * bot's messages in order, so once the partner ended the chat the sender's chat shows
 * "partner ended", then one "you are not in a chat" per message the bot took after the end.
 * Those are therefore the last k messages of the session, where k is the number of such replies
 * (less one when the user's own /stop also met the ended chat). Everything else is expected
 * exactly once. A refusal while the user was never told the partner left, more refusals than
 * messages, or a refused message that arrived anyway are rule violations, reported as errors.
 *
 * The bot also drops on purpose the copies still owed when a chat ends (so a flood cannot reach
 * a partner who left). It counts them, cluster-wide; expected messages that never arrived are
 * `dropped` up to that count, and `lost` beyond it. More drops than missing messages is an
 * accounting error, except for the copies a dying sender had in flight when their chat ended:
 * the bot cannot know whether those arrived, so it counts them apart, and they may explain a
 * missing message without being one.
 */
export class MessageLedger {
  readonly #sessions: ChatSession[] = [];
  readonly #examples: string[] = [];
  readonly relay = new LatencyHistogram();
  /** Relay latencies of the current second, for the chart; swapped out by the caller. */
  second = new LatencyHistogram();
  #misrouted = 0;
  #duplicated = 0;
  #outOfOrder = 0;
  #late = 0;
  #unknownTags = 0;
  #measureFrom = Infinity;
  #measureTo = Infinity;

  open(user: number): ChatSession {
    const session = newSession(this.#sessions.length, user);
    this.#sessions.push(session);
    return session;
  }

  /** Latencies of messages posted inside [from, to) go into `relay`. */
  measureWindow(from: number, to: number): void {
    this.#measureFrom = from;
    this.#measureTo = to;
  }

  /** Reserves the next message of a session and returns its tag; stamp it when posted. */
  nextTag(session: ChatSession): string {
    const index = session.sentAt.length;
    session.sentAt.push(0);
    session.delivered.push(0);
    return `t${session.id.toString(36)}.${index.toString(36)}`;
  }

  stamp(session: ChatSession, index: number, now: number): void {
    session.sentAt[index] = now;
  }

  /** A copy with this text or caption reached `receiver`, whose open session is `view`. */
  copied(text: string | undefined, receiver: number, view: ChatSession | null, now: number): void {
    const match = text === undefined ? null : TAG.exec(text);
    const sender = match ? this.#sessions[parseInt(match[1]!, 36)] : undefined;
    const index = match ? parseInt(match[2]!, 36) : -1;
    if (!sender || index >= sender.sentAt.length) {
      this.#unknownTags++;
      this.#misroute(`copy with unknown tag ${JSON.stringify(text)} at user ${receiver}`);
      return;
    }
    const tag = text!;
    if (sender.user === receiver)
      return this.#misroute(`${tag} came back to its own sender ${receiver}`);
    // The chat this sender's earlier copies went to, if it is the receiver's: a copy arriving
    // after that chat ended there still reached the right person, late.
    const earlier = sender.to === -1 ? undefined : this.#sessions[sender.to];
    if (earlier && earlier.user === receiver && earlier !== view) {
      this.#late++;
      this.#example(`${tag} reached ${receiver} after their chat with its sender had ended`);
      view = earlier;
    }
    if (view === null) return this.#misroute(`${tag} reached user ${receiver} outside any chat`);
    if (view.from === -1) view.from = sender.id;
    if (sender.to === -1) sender.to = view.id;
    if (view.from !== sender.id)
      return this.#misroute(
        `${tag} reached ${receiver}, whose chat gets copies from another sender`,
      );
    if (sender.to !== view.id)
      return this.#misroute(
        `${tag} reached ${receiver}, but the sender's earlier copies went elsewhere`,
      );
    if (
      (sender.from !== -1 && sender.from !== view.id) ||
      (view.to !== -1 && view.to !== sender.id)
    )
      return this.#misroute(`${tag}: the two sides of the chat do not talk to each other`);
    const count = ++sender.delivered[index]!;
    if (count > 1) {
      this.#duplicated++;
      this.#example(`${tag} arrived ${count} times`);
      return;
    }
    if (index < sender.lastDelivered) {
      this.#outOfOrder++;
      this.#example(
        `${tag} arrived after t${sender.id.toString(36)}.${sender.lastDelivered.toString(36)}`,
      );
    } else sender.lastDelivered = index;
    const sentAt = sender.sentAt[index]!;
    const latency = now - sentAt;
    this.second.record(latency);
    if (sentAt >= this.#measureFrom && sentAt < this.#measureTo) this.relay.record(latency);
  }

  /**
   * `drops`: what the bot says it dropped on purpose, across the cluster: `sure` never went out;
   * `unsure` were copies of ended chats whose sender died mid-send, which may have arrived.
   */
  result(drops: BotDrops = { sure: 0, unsure: 0 }): LedgerResult {
    const violations: Record<string, number> = {};
    const violate = (kind: string, detail: string) => {
      violations[kind] = (violations[kind] ?? 0) + 1;
      this.#example(detail);
    };
    let sent = 0;
    let expected = 0;
    let delivered = 0;
    let refused = 0;
    let lost = 0;
    for (const s of this.#sessions) {
      const n = s.sentAt.length;
      sent += n;
      // The user's own /stop met a chat the partner had already ended: that refusal is the stop's.
      const stopRefused = s.ownEnd === 'stop' && s.endedByPartner && !s.youEnded ? 1 : 0;
      let k = s.refusals - stopRefused;
      if (k < 0) {
        violate(
          'missing-stop-refusal',
          `session ${s.id}: /stop after the partner left got no refusal`,
        );
        k = 0;
      }
      if (k > 0 && !s.endedByPartner) {
        violate(
          'refused-while-paired',
          `session ${s.id}: ${k} refusals but the partner never left`,
        );
        k = 0;
      }
      if (k > n) {
        violate('more-refusals-than-messages', `session ${s.id}: ${k} refusals for ${n} messages`);
        k = n;
      }
      refused += k;
      for (let i = 0; i < n; i++) {
        const got = s.delivered[i]!;
        if (i >= n - k) {
          if (got > 0)
            violate(
              'refused-but-delivered',
              `t${s.id.toString(36)}.${i.toString(36)} refused yet delivered`,
            );
          continue;
        }
        expected++;
        if (got > 0) delivered++;
        else {
          lost++;
          this.#example(`t${s.id.toString(36)}.${i.toString(36)} (user ${s.user}) never arrived`);
        }
      }
    }
    if (this.#unknownTags > 0) violations['unknown-tag'] = this.#unknownTags;
    if (drops.sure > lost) violations['drops-exceed-missing'] = drops.sure - lost;
    const dropped = Math.min(lost, drops.sure + drops.unsure);
    return {
      sent,
      expected,
      delivered,
      refused,
      dropped,
      lost: lost - dropped,
      duplicated: this.#duplicated,
      misrouted: this.#misrouted,
      outOfOrder: this.#outOfOrder,
      late: this.#late,
      ruleViolations: violations,
      examples: [...this.#examples],
    };
  }

  #misroute(detail: string): void {
    this.#misrouted++;
    this.#example(detail);
  }

  #example(detail: string): void {
    if (this.#examples.length < 20) this.#examples.push(detail);
  }
}
