import { CATALOGUES, t, type TextKey } from '@hamdam/domain';
import type { ChatSession } from './chat-session.js';
import type { BatchItem } from './emulator-client.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { MessageLedger } from './message-ledger.js';
import { TimerHeap } from './timer-heap.js';
import type { Workload } from './workload.js';

type State =
  'offline' | 'arriving' | 'onboarding' | 'finding' | 'queued' | 'chatting' | 'between' | 'leaving';

export interface VirtualUser {
  readonly index: number;
  readonly id: number;
  state: State;
  /** Bumped on every state change; timers of an older epoch are dropped. */
  epoch: number;
  /** The chat this user is sending in (while chatting). */
  session: ChatSession | null;
  /** The chat this user's received messages belong to, by the markers it has seen. */
  view: ChatSession | null;
  /** The last chat that closed in this user's view, where refusals are counted. */
  last: ChatSession | null;
  findAt: number;
  queued: boolean;
  /** Has been welcomed before: a returning user reads the welcome for the full onboarding time. */
  returning: boolean;
}

/** A first-time user presses Find soon after the welcome, so the ramp fills chats quickly. */
const FIRST_ONBOARD_MS = 3_000;

const ARRIVE = 0;
const FIND = 1;
const MESSAGE = 2;
const END = 3;

/** What a posted update stamps when it leaves: a message's send time or a Find's start. */
export type Stamp =
  | { kind: 'message'; session: ChatSession; index: number }
  | { kind: 'find'; user: VirtualUser }
  | null;

export type ShareName = 'chatting' | 'waiting' | 'arriving';

// The bot's replies by text (virtual users speak English), so an event is classified with one
// map lookup.
const REPLY_BY_TEXT = new Map<string, TextKey>(
  (Object.entries(CATALOGUES.en) as [TextKey, string][]).map(([k, v]) => [v, k]),
);
const BUTTON = {
  find: t('en', 'button.find'),
  next: t('en', 'button.next'),
  stop: t('en', 'button.stop'),
};

/**
 * The simulated population: each user is a small state machine driven by the bot's replies it
 * sees on the emulator's stream, and by one shared timer heap for its own think times.
 */
export class VirtualUsers {
  readonly #users: VirtualUser[];
  readonly #byId = new Map<number, VirtualUser>();
  readonly #timers = new TimerHeap();
  readonly #workload: Workload;
  readonly #ledger: MessageLedger;
  readonly #random: () => number;
  #batch: BatchItem[] = [];
  #stamps: Stamp[] = [];
  #running = true;
  /** Find → "matched" when a partner was waiting (no "searching" first). */
  readonly matchDirect = new LatencyHistogram();
  /** Find → "matched" after a spell in the queue. */
  readonly matchQueued = new LatencyHistogram();
  readonly errors = new Map<string, number>();
  updatesQueued = 0;

  constructor(
    ids: readonly number[],
    workload: Workload,
    ledger: MessageLedger,
    random: () => number,
  ) {
    this.#workload = workload;
    this.#ledger = ledger;
    this.#random = random;
    this.#users = ids.map((id, index) => ({
      index,
      id,
      state: 'offline',
      epoch: 0,
      session: null,
      view: null,
      last: null,
      findAt: 0,
      queued: false,
      returning: false,
    }));
    for (const u of this.#users) this.#byId.set(u.id, u);
  }

  /** Spreads first arrivals over the ramp. */
  start(now: number): void {
    const n = this.#users.length;
    for (const u of this.#users)
      this.#schedule(u, now + (this.#workload.rampMs * u.index) / n, ARRIVE);
  }

  /** From now on no user acts on its own; replies are still read, for the ledger. */
  stop(): void {
    this.#running = false;
    this.#timers.clear();
  }

  /** Runs due timers and hands over the batch to post, with the stamps to apply on posting. */
  tick(now: number): { items: BatchItem[]; stamps: Stamp[] } | null {
    for (let t = this.#timers.popDue(now); t !== undefined; t = this.#timers.popDue(now)) {
      const u = this.#users[t.user]!;
      if (t.epoch === u.epoch && this.#running) this.#act(u, t.action, now);
    }
    if (this.#batch.length === 0) return null;
    const out = { items: this.#batch, stamps: this.#stamps };
    this.#batch = [];
    this.#stamps = [];
    return out;
  }

  /** Called once the batch was accepted, at the time it was posted. */
  stampPosted(stamps: readonly Stamp[], postedAt: number): void {
    for (const s of stamps) {
      if (s === null) continue;
      if (s.kind === 'message') this.#ledger.stamp(s.session, s.index, postedAt);
      else s.user.findAt = postedAt;
    }
  }

  /** One message the bot sent to chat `chatId`, in the chat's order. */
  received(
    chatId: number,
    kind: string,
    messageId: number,
    text: string | undefined,
    caption: string | undefined,
    now: number,
  ): void {
    const u = this.#byId.get(chatId);
    if (u === undefined) return this.#error('message-to-unknown-chat');
    if (kind === 'copy') return this.#ledger.copied(text ?? caption, u.index, u.view, now);
    const reply = text === undefined ? undefined : REPLY_BY_TEXT.get(text);
    // Onboarding asks its next question by editing the answered one in place; any other edit
    // while arriving takes the buttons off an answered question.
    const asked = kind === 'edit' && (reply === 'onboarding.gender' || reply === 'onboarding.age');
    if (kind === 'edit' && u.state === 'arriving' && !asked) return;
    if (kind !== 'send' && !asked) return this.#error(`unexpected-${kind}`);
    switch (reply) {
      // A first visit: the bot asks language, gender and age, and the user answers.
      case 'onboarding.language':
        if (u.state !== 'arriving') return this.#error('unexpected-onboarding');
        return this.#send(
          { user_id: u.id, kind: 'callback', message_id: messageId, data: 'o:l:en' },
          null,
        );
      case 'onboarding.gender':
        if (u.state !== 'arriving') return this.#error('unexpected-onboarding');
        return this.#send(
          {
            user_id: u.id,
            kind: 'callback',
            message_id: messageId,
            data: u.index % 2 === 0 ? 'o:g:m' : 'o:g:f',
          },
          null,
        );
      case 'onboarding.age':
        if (u.state !== 'arriving') return this.#error('unexpected-onboarding');
        return this.#send(
          { user_id: u.id, kind: 'message', text: String(20 + (u.index % 40)) },
          null,
        );
      case 'onboarding.done':
      case 'welcome':
        this.#closeView(u);
        if (u.state !== 'arriving') return this.#error('unexpected-welcome');
        {
          const mean = u.returning
            ? this.#workload.onboardMs
            : Math.min(FIRST_ONBOARD_MS, this.#workload.onboardMs);
          u.returning = true;
          return this.#enter(u, 'onboarding', now + this.#exp(mean), FIND);
        }
      case 'searching':
        this.#closeView(u);
        if (u.state !== 'finding') return this.#error('unexpected-searching');
        u.queued = true;
        return this.#enter(u, 'queued');
      case 'matched': {
        // A repeated "partner found" (a notice sent twice) is an error, and leaves the chat
        // the user is in as it is, so the ledger keeps crediting its copies.
        if (u.state !== 'finding' && u.state !== 'queued') return this.#error('unexpected-matched');
        this.#closeView(u);
        (u.queued ? this.matchQueued : this.matchDirect).record(now - u.findAt);
        const session = this.#ledger.open(u.index);
        u.session = session;
        u.view = session;
        this.#enter(u, 'chatting', now + this.#exp(2 * this.#workload.chatMs), END);
        this.#schedule(u, now + this.#exp(this.#workload.thinkMs), MESSAGE);
        return;
      }
      case 'partnerEnded':
      case 'partnerLeft': {
        const view = u.view;
        if (view === null) return this.#error(`unexpected-${reply}`);
        view.endedByPartner = true;
        this.#closeView(u);
        if (u.state === 'chatting') {
          u.session = null;
          this.#enter(u, 'between', now + this.#exp(this.#workload.waitMs), FIND);
        }
        return;
      }
      case 'youEnded':
        if (u.view === null || u.view.ownEnd !== 'stop') return this.#error('unexpected-youEnded');
        u.view.youEnded = true;
        return this.#closeView(u);
      case 'notChatting':
        // Only a chat the partner already ended may refuse; anything else is a bot error.
        if (u.view !== null || u.last === null || !u.last.endedByPartner)
          return this.#error('refused-while-paired');
        u.last.refusals++;
        return;
      case undefined:
        return this.#error('unknown-reply');
      default:
        return this.#error(`reply-${reply}`);
    }
  }

  /** How many users are in each part of the 80 / 10 / 10 mix right now. */
  shares(): Record<ShareName, number> {
    const out: Record<ShareName, number> = { chatting: 0, waiting: 0, arriving: 0 };
    for (const u of this.#users) {
      if (u.state === 'chatting') out.chatting++;
      else if (u.state === 'finding' || u.state === 'queued' || u.state === 'between')
        out.waiting++;
      else if (u.state !== 'offline') out.arriving++;
    }
    return out;
  }

  #act(u: VirtualUser, action: number, now: number): void {
    const w = this.#workload;
    switch (action) {
      case ARRIVE:
        this.#send({ user_id: u.id, kind: 'message', text: '/start' }, null);
        return this.#enter(u, 'arriving');
      case FIND:
        this.#send(
          { user_id: u.id, kind: 'message', text: BUTTON.find },
          { kind: 'find', user: u },
        );
        u.queued = false;
        return this.#enter(u, 'finding');
      case MESSAGE: {
        const session = u.session!;
        const index = session.sentAt.length;
        const tag = this.#ledger.nextTag(session);
        const item: BatchItem =
          this.#random() < w.mediaShare
            ? { user_id: u.id, kind: 'message', photo: true, caption: tag }
            : { user_id: u.id, kind: 'message', text: tag };
        this.#send(item, { kind: 'message', session, index });
        this.#schedule(u, now + this.#exp(w.thinkMs), MESSAGE);
        return;
      }
      case END: {
        const session = u.session!;
        u.session = null;
        if (this.#random() < w.stopShare) {
          session.ownEnd = 'stop';
          this.#send({ user_id: u.id, kind: 'message', text: BUTTON.stop }, null);
          return this.#enter(u, 'leaving', now + this.#exp(w.awayMs), ARRIVE);
        }
        session.ownEnd = 'next';
        this.#send(
          { user_id: u.id, kind: 'message', text: BUTTON.next },
          { kind: 'find', user: u },
        );
        u.queued = false;
        return this.#enter(u, 'finding');
      }
    }
  }

  #send(item: BatchItem, stamp: Stamp): void {
    this.#batch.push(item);
    this.#stamps.push(stamp);
    this.updatesQueued++;
  }

  #enter(u: VirtualUser, state: State, at?: number, action?: number): void {
    u.state = state;
    u.epoch++;
    if (at !== undefined && action !== undefined) this.#schedule(u, at, action);
  }

  #schedule(u: VirtualUser, at: number, action: number): void {
    this.#timers.push({ at, user: u.index, action, epoch: u.epoch });
  }

  #closeView(u: VirtualUser): void {
    if (u.view === null) return;
    u.last = u.view;
    u.view = null;
  }

  #exp(mean: number): number {
    return -Math.log(1 - this.#random()) * mean;
  }

  #error(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }
}
