import type { Stamp } from '@hamdam/domain';
import {
  DEFAULT_STORE_LIMITS,
  type BlockedResult,
  type ChatStore,
  type Claimed,
  type Delivered,
  type Settled,
  type EndedChat,
  type FindRequest,
  type FindResult,
  type FsmRecord,
  type FsmState,
  type Payload,
  type RelayRequest,
  type RelayResult,
  type SayRequest,
  type StopRequest,
  type StopResult,
  type StoreLimits,
  type StoredProfile,
  type UserState,
} from './chat-store.js';
import { payloadList } from './payload.js';
import { TokenBucket } from './token-bucket.js';

interface UserRecord {
  status: 'idle' | 'queued' | 'chatting';
  partner: number | null;
  chat: string | null;
  since: number;
  sent: number;
  uid: number | null;
  bucket: string | null;
  candidates: string[] | null;
  queuedIn: string | null;
}

interface Entry {
  readonly id: string;
  readonly payload: Payload;
}

/**
 * The in-process adapter for the embedded single-process default. It keeps the Redis
 * adapter's semantics (held to the same contract tests); each method runs to completion
 * without awaiting, which is what makes it atomic in one process. State lives only as long as
 * the process, and a second process cannot see it, which is why more than one worker with
 * this store is refused at start.
 */
export class MemoryChatStore implements ChatStore {
  readonly #limits: StoreLimits;
  readonly #scanDepth: number;
  readonly #users = new Map<number, UserRecord>();
  /** Waiting chats per bucket; a Map iterates in insertion order, i.e. oldest first. */
  readonly #queues = new Map<string, Map<number, number>>();
  readonly #recent = new Map<number, Map<number, number>>();
  readonly #marks = new Map<string, { updateId: number; expires: number }>();
  readonly #outbox = new Map<number, Entry[]>();
  readonly #ready = new Map<number, number>();
  readonly #pace = new Map<number, TokenBucket>();
  readonly #budget: TokenBucket | null;
  readonly #fsm = new Map<number, { version: number; state: FsmState | null; expires: number }>();
  readonly #ended: EndedChat[] = [];
  #seq = 0;
  #chatSeq = 0;
  #queueSeq = 0;

  constructor(options: { limits?: Partial<StoreLimits>; scanDepth?: number } = {}) {
    this.#limits = { ...DEFAULT_STORE_LIMITS, ...options.limits };
    this.#scanDepth = options.scanDepth ?? 8;
    const { globalRatePerSec, globalBurst } = this.#limits;
    this.#budget = globalRatePerSec > 0 ? new TokenBucket(globalRatePerSec, globalBurst) : null;
  }

  setProfile(chatId: number, profile: StoredProfile): Promise<void> {
    const u = this.#user(chatId);
    u.uid = profile.uid;
    u.bucket = profile.bucket;
    u.candidates = [...profile.candidates];
    if (u.status === 'queued' && u.queuedIn !== null && u.queuedIn !== profile.bucket) {
      const old = this.#queues.get(u.queuedIn);
      const place = old?.get(chatId) ?? ++this.#queueSeq;
      old?.delete(chatId);
      this.#enqueue(profile.bucket, chatId, place);
      u.queuedIn = profile.bucket;
    }
    return Promise.resolve();
  }

  getUser(chatId: number): Promise<UserState> {
    const u = this.#users.get(chatId);
    return Promise.resolve({
      status: u?.status ?? 'idle',
      partner: u?.partner ?? null,
      uid: u?.uid ?? null,
      bucket: u?.bucket ?? null,
      queuedIn: u?.status === 'queued' ? u.queuedIn : null,
    });
  }

  find(request: FindRequest): Promise<FindResult> {
    const now = Date.now();
    const me = request.chatId;
    if (this.#seen(me, request.stamp, now)) return Promise.resolve({ kind: 'duplicate' });
    const u = this.#user(me);
    let endedPartner: number | null = null;
    if (u.status === 'chatting') {
      if (!request.next) {
        this.#push(me, '@alreadyChatting', now);
        return Promise.resolve({ kind: 'already-chatting' });
      }
      endedPartner = this.#endChat(me, 'next', null, '@partnerEnded', now);
    } else if (u.status === 'queued') {
      this.#push(me, '@alreadySearching', now);
      return Promise.resolve({ kind: 'already-queued' });
    }
    const bucket = u.bucket ?? request.fallback.bucket;
    const candidates = u.candidates ?? request.fallback.candidates;
    const recent = this.#recentOf(me, now);
    let best: { chat: number; score: number; bucket: string } | null = null;
    for (const b of candidates) {
      let looked = 0;
      for (const [chat, score] of this.#queues.get(b) ?? []) {
        if (looked++ >= this.#scanDepth || (best && score >= best.score)) break;
        if (chat !== me && !recent.has(chat)) {
          best = { chat, score, bucket: b };
          break;
        }
      }
    }
    if (best) {
      this.#queues.get(best.bucket)?.delete(best.chat);
      const chat = String(++this.#chatSeq);
      const them = this.#user(best.chat);
      them.queuedIn = null;
      Object.assign(them, { status: 'chatting', partner: me, chat, since: now, sent: 0 });
      Object.assign(u, { status: 'chatting', partner: best.chat, chat, since: now, sent: 0 });
      recent.set(best.chat, now);
      this.#recentOf(best.chat, now).set(me, now);
      this.#push(best.chat, '@matched', now);
      this.#push(me, '@matched', now);
      return Promise.resolve({ kind: 'matched', partner: best.chat, endedPartner });
    }
    this.#enqueue(bucket, me, ++this.#queueSeq);
    Object.assign(u, { status: 'queued', queuedIn: bucket, since: now });
    this.#push(me, '@searching', now);
    return Promise.resolve({ kind: 'queued', endedPartner });
  }

  stop(request: StopRequest): Promise<StopResult> {
    const now = Date.now();
    const me = request.chatId;
    if (this.#seen(me, request.stamp, now)) return Promise.resolve({ kind: 'duplicate' });
    const u = this.#user(me);
    if (u.status === 'chatting') {
      const partner = this.#endChat(me, 'stop', '@youEnded', '@partnerEnded', now);
      return Promise.resolve({ kind: 'ended', partner });
    }
    if (u.status === 'queued') {
      this.#leaveQueue(u, me);
      this.#push(me, '@searchCancelled', now);
      return Promise.resolve({ kind: 'left-queue' });
    }
    this.#push(me, '@notChatting', now);
    return Promise.resolve({ kind: 'idle' });
  }

  relay(request: RelayRequest): Promise<RelayResult> {
    const now = Date.now();
    const me = request.chatId;
    if (this.#seen(me, request.stamp, now)) return Promise.resolve({ kind: 'duplicate' });
    const u = this.#user(me);
    if (u.status !== 'chatting' || u.partner === null) {
      this.#push(me, '@notChatting', now);
      return Promise.resolve({ kind: 'not-chatting' });
    }
    this.#push(u.partner, request.payload, now);
    u.sent++;
    return Promise.resolve({ kind: 'relayed', partner: u.partner });
  }

  say(request: SayRequest): Promise<'said' | 'duplicate'> {
    const now = Date.now();
    if (this.#seen(request.chatId, request.stamp, now)) return Promise.resolve('duplicate');
    for (const payload of payloadList(request.payload)) this.#push(request.chatId, payload, now);
    return Promise.resolve('said');
  }

  blocked(chatId: number, stamp: Stamp | null): Promise<BlockedResult> {
    const now = Date.now();
    if (this.#seen(chatId, stamp, now)) return Promise.resolve({ kind: 'duplicate' });
    const u = this.#user(chatId);
    let result: BlockedResult = { kind: 'idle' };
    if (u.status === 'chatting') {
      result = {
        kind: 'ended',
        partner: this.#endChat(chatId, 'blocked', null, '@partnerLeft', now),
      };
    } else if (u.status === 'queued') {
      this.#leaveQueue(u, chatId);
      result = { kind: 'left-queue' };
    }
    this.#outbox.delete(chatId);
    this.#ready.delete(chatId);
    return Promise.resolve(result);
  }

  async settle(delivered: readonly Delivered[], limit: number, leaseMs: number): Promise<Settled> {
    for (const d of delivered) await this.ack(d.chatId, d.entryId);
    const claimed = limit > 0 ? await this.claim(limit, leaseMs) : [];
    return { claimed, nextDue: await this.nextDue() };
  }

  claim(limit: number, leaseMs: number): Promise<Claimed[]> {
    const now = Date.now();
    if (this.#budget) limit = Math.min(limit, Math.floor(this.#budget.available(now)));
    const due = [...this.#ready].filter(([, at]) => at <= now);
    due.sort((a, b) => a[1] - b[1]);
    const out: Claimed[] = [];
    for (const [chatId] of due.slice(0, Math.max(0, limit))) {
      const head = this.#outbox.get(chatId)?.[0];
      if (!head) {
        this.#ready.delete(chatId);
        continue;
      }
      const pace = this.#paceOf(chatId);
      if (!pace.take(now)) {
        this.#ready.set(chatId, now + pace.waitMs(now));
        continue;
      }
      this.#ready.set(chatId, now + leaseMs);
      this.#budget?.take(now);
      out.push({ chatId, entryId: head.id, payload: head.payload });
    }
    return Promise.resolve(out);
  }

  ack(chatId: number, entryId: string): Promise<void> {
    const list = this.#outbox.get(chatId);
    if (list?.[0]?.id === entryId) list.shift();
    if (!list || list.length === 0) {
      this.#outbox.delete(chatId);
      this.#ready.delete(chatId);
    } else {
      this.#ready.set(chatId, Date.now());
    }
    return Promise.resolve();
  }

  defer(chatId: number, entryId: string, dueAt: number): Promise<void> {
    if (this.#outbox.get(chatId)?.[0]?.id === entryId) this.#ready.set(chatId, Math.ceil(dueAt));
    return Promise.resolve();
  }

  nextDue(): Promise<number | null> {
    let min: number | null = null;
    for (const at of this.#ready.values()) if (min === null || at < min) min = at;
    return Promise.resolve(min);
  }

  pending(chatId: number): Promise<number> {
    return Promise.resolve(this.#outbox.get(chatId)?.length ?? 0);
  }

  readFsm(chatId: number): Promise<FsmRecord> {
    const rec = this.#fsm.get(chatId);
    if (!rec || rec.expires <= Date.now()) return Promise.resolve({ version: 0, state: null });
    return Promise.resolve({ version: rec.version, state: rec.state });
  }

  writeFsm(
    chatId: number,
    expectedVersion: number,
    next: FsmState | null,
    ttlSeconds: number,
  ): Promise<boolean> {
    const now = Date.now();
    const rec = this.#fsm.get(chatId);
    const version = rec && rec.expires > now ? rec.version : 0;
    if (version !== expectedVersion) return Promise.resolve(false);
    const state = next ? { name: next.name, data: structuredClone(next.data) } : null;
    this.#fsm.set(chatId, { version: version + 1, state, expires: now + ttlSeconds * 1000 });
    return Promise.resolve(true);
  }

  readEndedChats(limit: number): Promise<EndedChat[]> {
    return Promise.resolve(this.#ended.slice(0, limit));
  }

  ackEndedChats(ids: readonly string[]): Promise<void> {
    const gone = new Set(ids);
    for (let i = this.#ended.length - 1; i >= 0; i--) {
      if (gone.has(this.#ended[i]!.id)) this.#ended.splice(i, 1);
    }
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #user(chatId: number): UserRecord {
    let u = this.#users.get(chatId);
    if (!u) {
      u = {
        status: 'idle',
        partner: null,
        chat: null,
        since: 0,
        sent: 0,
        uid: null,
        bucket: null,
        candidates: null,
        queuedIn: null,
      };
      this.#users.set(chatId, u);
    }
    return u;
  }

  #seen(chatId: number, stamp: Stamp | null, now: number): boolean {
    if (!stamp) return false;
    const key = `${stamp.queue}:${chatId}`;
    const mark = this.#marks.get(key);
    if (mark && mark.expires > now && stamp.updateId <= mark.updateId) return true;
    this.#marks.set(key, { updateId: stamp.updateId, expires: now + 90_000_000 });
    return false;
  }

  #push(chatId: number, payload: Payload, now: number): void {
    let list = this.#outbox.get(chatId);
    if (!list) this.#outbox.set(chatId, (list = []));
    list.push({ id: String(++this.#seq), payload });
    if (!this.#ready.has(chatId)) this.#ready.set(chatId, now);
  }

  /**
   * Queues are ordered by arrival number, global across buckets like Redis' qseq, so a user
   * moved to another bucket keeps their place in line.
   */
  #enqueue(bucket: string, chatId: number, place: number): void {
    let queue = this.#queues.get(bucket);
    if (!queue) this.#queues.set(bucket, (queue = new Map<number, number>()));
    queue.set(chatId, place);
    // New arrivals take the newest number and go last; only a moved user needs re-sorting.
    if (place !== this.#queueSeq) {
      const sorted = [...queue].sort((a, b) => a[1] - b[1]);
      queue.clear();
      for (const [c, p] of sorted) queue.set(c, p);
    }
  }

  #recentOf(chatId: number, now: number): Map<number, number> {
    let recent = this.#recent.get(chatId);
    if (!recent) this.#recent.set(chatId, (recent = new Map<number, number>()));
    for (const [partner, at] of recent) {
      if (at <= now - this.#limits.recentPartnerMs) recent.delete(partner);
    }
    return recent;
  }

  #paceOf(chatId: number): TokenBucket {
    let bucket = this.#pace.get(chatId);
    if (!bucket) {
      bucket = new TokenBucket(this.#limits.chatRatePerSec, this.#limits.chatBurst);
      this.#pace.set(chatId, bucket);
    }
    return bucket;
  }

  #leaveQueue(u: UserRecord, chatId: number): void {
    if (u.queuedIn) this.#queues.get(u.queuedIn)?.delete(chatId);
    u.queuedIn = null;
    u.status = 'idle';
  }

  #endChat(
    me: number,
    reason: string,
    toMe: Payload | null,
    toPartner: Payload,
    now: number,
  ): number {
    const u = this.#user(me);
    const partner = u.partner!;
    const them = this.#user(partner);
    this.#ended.push({
      id: String(++this.#seq),
      key: u.chat ?? '',
      a: me,
      b: partner,
      uidA: u.uid,
      uidB: them.uid,
      startedAt: u.since,
      endedAt: now,
      reason,
      messagesA: u.sent,
      messagesB: them.sent,
    });
    Object.assign(u, { status: 'idle', partner: null, chat: null, sent: 0 });
    if (them.partner === me)
      Object.assign(them, { status: 'idle', partner: null, chat: null, sent: 0 });
    if (toMe) this.#push(me, toMe, now);
    this.#push(partner, toPartner, now);
    return partner;
  }
}
