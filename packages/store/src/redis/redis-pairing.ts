import type { Stamp } from '@hamdam/domain';
import { StoreCorruptError } from '../errors.js';
import { encodePayload } from '../payload.js';
import type {
  BlockedResult,
  FindRequest,
  FindResult,
  Pairing,
  RelayRequest,
  RelayResult,
  StopRequest,
  StopResult,
  StoredProfile,
  UserState,
  UserStatus,
} from '../pairing.js';
import { KEY } from './keys.js';
import { asList, optionalNumber, type Reply, type ScriptRunner } from './script-runner.js';

export interface PairingOptions {
  readonly recentPartnerMs: number;
  /** How many heads of each candidate bucket matchmaking looks at. */
  readonly scanDepth: number;
}

export class RedisPairing implements Pairing {
  readonly #redis: ScriptRunner;
  readonly #o: PairingOptions;

  constructor(redis: ScriptRunner, options: PairingOptions) {
    this.#redis = redis;
    this.#o = options;
  }

  async setProfile(chatId: number, profile: StoredProfile): Promise<void> {
    await this.#redis.script(
      'hamdamProfile',
      chatId,
      profile.uid,
      profile.bucket,
      profile.candidates.join(','),
    );
  }

  async getUser(chatId: number): Promise<UserState> {
    const key = this.#redis.key(KEY.user, chatId);
    const [state, partner, uid, bucket, queuedIn] = await this.#redis.call(() =>
      this.#redis.client.hmget(key, 'state', 'partner', 'uid', 'bucket', 'qbucket'),
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
    const reply = await this.#redis.script(
      'hamdamFind',
      request.chatId,
      ...stampArgs(request.stamp),
      request.next ? 1 : 0,
      request.fallback.bucket,
      request.fallback.candidates.join(','),
      this.#o.scanDepth,
      this.#o.recentPartnerMs,
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
    return endResult(
      await this.#redis.script('hamdamStop', request.chatId, ...stampArgs(request.stamp)),
    );
  }

  async blocked(chatId: number, stamp: Stamp | null): Promise<BlockedResult> {
    return endResult(await this.#redis.script('hamdamBlocked', chatId, ...stampArgs(stamp)));
  }

  async relay(request: RelayRequest): Promise<RelayResult> {
    const [kind, partner] = asList(
      await this.#redis.script(
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
}

export function stampArgs(stamp: Stamp | null): [string, string] {
  return stamp ? [stamp.queue, String(stamp.updateId)] : ['', ''];
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
