import type { Cluster, Redis } from 'ioredis';
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
  type RelayRequest,
  type RelayResult,
  type SayRequest,
  type StopRequest,
  type StopResult,
  type StoreLimits,
  type StoredProfile,
  type UserState,
  type UserStatus,
} from './chat-store.js';
import { StoreCorruptError, StoreUnavailableError } from './errors.js';
import { BLOCKED, DEFER, FIND, FSM_WRITE, PROFILE, RELAY, SAY, SETTLE, STOP } from './lua.js';
import { decodePayload, encodePayload, payloadList } from './payload.js';

export type RedisClient = Redis | Cluster;

export interface RedisChatStoreOptions {
  /** Key prefix with exactly one hash tag, e.g. `hamdam:{h}:`. */
  readonly prefix: string;
  readonly limits?: Partial<StoreLimits>;
  /** How many heads of each candidate bucket matchmaking looks at. */
  readonly scanDepth?: number;
}

const SCRIPTS = {
  hamdamFind: FIND,
  hamdamStop: STOP,
  hamdamRelay: RELAY,
  hamdamSay: SAY,
  hamdamProfile: PROFILE,
  hamdamBlocked: BLOCKED,
  hamdamSettle: SETTLE,
  hamdamDefer: DEFER,
  hamdamFsmWrite: FSM_WRITE,
} as const;
type ScriptName = keyof typeof SCRIPTS;
type Reply = string | number | null | Reply[];
type Scripted = Record<ScriptName, (key: string, ...args: (string | number)[]) => Promise<Reply>>;

/** Server answers that mean "not now" rather than "wrong": memory full, failover, loading. */
const TRANSIENT_REPLY = /^(OOM|LOADING|READONLY|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|BUSY|NOREPLICAS)/;

const PREFIX_PATTERN = /^[^{}]*\{[^{}]+\}[^{}]*$/;

export class RedisChatStore implements ChatStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #limits: StoreLimits;
  readonly #scanDepth: number;

  constructor(redis: RedisClient, options: RedisChatStoreOptions) {
    if (!PREFIX_PATTERN.test(options.prefix)) {
      throw new TypeError(
        `Redis key prefix must carry exactly one hash tag, got "${options.prefix}"`,
      );
    }
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#limits = { ...DEFAULT_STORE_LIMITS, ...options.limits };
    this.#scanDepth = options.scanDepth ?? 8;
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
  }

  async setProfile(chatId: number, profile: StoredProfile): Promise<void> {
    await this.#script(
      'hamdamProfile',
      chatId,
      profile.uid,
      profile.bucket,
      profile.candidates.join(','),
    );
  }

  async getUser(chatId: number): Promise<UserState> {
    const [state, partner, uid, bucket, queuedIn] = await this.#call(() =>
      this.#redis.hmget(this.#key('u', chatId), 'state', 'partner', 'uid', 'bucket', 'qbucket'),
    );
    const status = toStatus(state ?? null);
    return {
      status,
      partner: partner ? Number(partner) : null,
      uid: uid ? Number(uid) : null,
      bucket: bucket ?? null,
      queuedIn: status === 'queued' ? (queuedIn ?? null) : null,
    };
  }

  async find(request: FindRequest): Promise<FindResult> {
    const reply = await this.#script(
      'hamdamFind',
      request.chatId,
      ...stampArgs(request.stamp),
      request.next ? 1 : 0,
      request.fallback.bucket,
      request.fallback.candidates.join(','),
      this.#scanDepth,
      this.#limits.recentPartnerMs,
    );
    const [kind, a, b] = asList(reply);
    switch (kind) {
      case 'matched':
        return { kind, partner: Number(a), endedPartner: optionalNumber(b) };
      case 'queued':
        return { kind, endedPartner: optionalNumber(a) };
      case 'duplicate':
      case 'already-queued':
      case 'already-chatting':
        return { kind };
      default:
        throw new StoreCorruptError(`find answered ${String(kind)}`);
    }
  }

  async stop(request: StopRequest): Promise<StopResult> {
    return endResult(await this.#script('hamdamStop', request.chatId, ...stampArgs(request.stamp)));
  }

  async blocked(chatId: number, stamp: Stamp | null): Promise<BlockedResult> {
    return endResult(await this.#script('hamdamBlocked', chatId, ...stampArgs(stamp)));
  }

  async relay(request: RelayRequest): Promise<RelayResult> {
    const [kind, partner] = asList(
      await this.#script(
        'hamdamRelay',
        request.chatId,
        ...stampArgs(request.stamp),
        encodePayload(request.payload),
      ),
    );
    if (kind === 'relayed') return { kind, partner: Number(partner) };
    if (kind === 'duplicate' || kind === 'not-chatting') return { kind };
    throw new StoreCorruptError(`relay answered ${String(kind)}`);
  }

  async say(request: SayRequest): Promise<'said' | 'duplicate'> {
    const reply = await this.#script(
      'hamdamSay',
      request.chatId,
      ...stampArgs(request.stamp),
      ...payloadList(request.payload).map(encodePayload),
    );
    if (reply === 'said' || reply === 'duplicate') return reply;
    throw new StoreCorruptError(`say answered ${String(reply)}`);
  }

  async settle(delivered: readonly Delivered[], limit: number, leaseMs: number): Promise<Settled> {
    const l = this.#limits;
    const flat = asList(
      await this.#script(
        'hamdamSettle',
        limit,
        leaseMs,
        l.chatRatePerSec,
        l.chatBurst,
        l.globalRatePerSec,
        l.globalBurst,
        ...delivered.flatMap((d) => [d.chatId, d.entryId]),
      ),
    );
    const claimed: Claimed[] = [];
    for (let i = 1; i + 1 < flat.length; i += 2) {
      const entry = String(flat[i + 1]);
      const space = entry.indexOf(' ');
      claimed.push({
        chatId: Number(flat[i]),
        entryId: entry.slice(0, space),
        payload: decodePayload(entry.slice(space + 1)),
      });
    }
    return { claimed, nextDue: optionalNumber(flat[0]) };
  }

  async claim(limit: number, leaseMs: number): Promise<Claimed[]> {
    return (await this.settle([], limit, leaseMs)).claimed;
  }

  async ack(chatId: number, entryId: string): Promise<void> {
    await this.settle([{ chatId, entryId }], 0, 0);
  }

  async defer(chatId: number, entryId: string, dueAt: number): Promise<void> {
    await this.#script('hamdamDefer', chatId, entryId, Math.ceil(dueAt));
  }

  async nextDue(): Promise<number | null> {
    const [, score] = await this.#call(() =>
      this.#redis.zrange(this.#prefix + 'ready', 0, 0, 'WITHSCORES'),
    );
    return score === undefined ? null : Number(score);
  }

  async pending(chatId: number): Promise<number> {
    return this.#call(() => this.#redis.llen(this.#key('ob', chatId)));
  }

  async readFsm(chatId: number): Promise<FsmRecord> {
    const [v, s, d] = await this.#call(() =>
      this.#redis.hmget(this.#key('fsm', chatId), 'v', 's', 'd'),
    );
    const version = v ? Number(v) : 0;
    if (!s) return { version, state: null };
    return { version, state: { name: s, data: parseData(d ?? '{}') } };
  }

  async writeFsm(
    chatId: number,
    expectedVersion: number,
    next: FsmState | null,
    ttlSeconds: number,
  ): Promise<boolean> {
    const reply = await this.#script(
      'hamdamFsmWrite',
      chatId,
      expectedVersion,
      next?.name ?? '',
      JSON.stringify(next?.data ?? {}),
      ttlSeconds,
    );
    return reply === 1;
  }

  async readEndedChats(limit: number): Promise<EndedChat[]> {
    const entries = await this.#call(() =>
      this.#redis.xrange(this.#prefix + 'ended', '-', '+', 'COUNT', limit),
    );
    return entries.map(([id, fields]) => {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      const num = (name: string): number => Number(f.get(name) ?? 0);
      return {
        id,
        key: f.get('key') ?? id,
        a: num('a'),
        b: num('b'),
        uidA: optionalNumber(f.get('uidA')),
        uidB: optionalNumber(f.get('uidB')),
        startedAt: num('since'),
        endedAt: num('at'),
        reason: f.get('reason') ?? 'unknown',
        messagesA: num('sa'),
        messagesB: num('sb'),
      };
    });
  }

  async ackEndedChats(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#call(() => this.#redis.xdel(this.#prefix + 'ended', ...ids));
  }

  async ping(): Promise<void> {
    await this.#call(() => this.#redis.ping());
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #key(kind: string, chatId: number): string {
    return `${this.#prefix}${kind}:${chatId}`;
  }

  #script(name: ScriptName, ...args: (string | number)[]): Promise<Reply> {
    const fn = (this.#redis as unknown as Scripted)[name].bind(this.#redis);
    return this.#call(() => fn(this.#prefix + 'ready', this.#prefix, ...args));
  }

  async #call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw asStoreError(err);
    }
  }
}

function stampArgs(stamp: Stamp | null): [string, string] {
  return stamp ? [stamp.queue, String(stamp.updateId)] : ['', ''];
}

function asList(reply: Reply): Reply[] {
  if (!Array.isArray(reply)) throw new StoreCorruptError('script answered a non-list');
  return reply;
}

function optionalNumber(value: Reply | undefined): number | null {
  return value === undefined || value === null || value === '' ? null : Number(value);
}

function endResult(reply: Reply): StopResult {
  const [kind, partner] = asList(reply);
  if (kind === 'ended') return { kind, partner: Number(partner) };
  if (kind === 'duplicate' || kind === 'left-queue' || kind === 'idle') return { kind };
  throw new StoreCorruptError(`script answered ${String(kind)}`);
}

function toStatus(state: string | null): UserStatus {
  return state === 'queued' || state === 'chatting' ? state : 'idle';
}

function parseData(raw: string): Record<string, unknown> {
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreCorruptError('FSM data is not an object');
  }
  return value as Record<string, unknown>;
}

/** Script and protocol errors are bugs and pass through; the rest means Redis is out of reach. */
function asStoreError(err: unknown): unknown {
  if (err instanceof StoreCorruptError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'ReplyError' && !TRANSIENT_REPLY.test((err as Error).message)) return err;
  return new StoreUnavailableError('Redis did not answer', { cause: err });
}
