import type { Stamp } from '@hamdam/domain';
import type {
  EditRequest,
  EditResult,
  FindRequest,
  FindResult,
  Pairing,
  RelayRequest,
  RelayResult,
  StartRequest,
  StartResult,
  StopResult,
  UserStep,
} from '../pairing.js';
import { encodeGroup, encodePayload } from '../payload.js';
import {
  commonResult,
  optionalNumber,
  unexpected,
  type Reply,
  type ScriptRunner,
} from './script-runner.js';

export class RedisPairing implements Pairing {
  readonly #redis: ScriptRunner;

  constructor(redis: ScriptRunner) {
    this.#redis = redis;
  }

  async start(request: StartRequest): Promise<StartResult> {
    const [kind] = await this.#redis.step(
      'hamdamStart',
      request.chatId,
      request.stamp,
      request.langHint,
    );
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'onboarding' || kind === 'welcome') return { kind };
    throw unexpected('start', kind);
  }

  async find(request: FindRequest): Promise<FindResult> {
    const [kind, ended, dropped, partner, waited] = await this.#redis.step(
      'hamdamFind',
      request.chatId,
      request.stamp,
      request.next ? 1 : 0,
      request.langHint,
    );
    const common = commonResult(kind);
    if (common) return common;
    const end = { endedPartner: optionalNumber(ended), dropped: Number(dropped ?? 0) };
    switch (kind) {
      case 'matched':
        return { kind, partner: Number(partner), waitedMs: Number(waited), ...end };
      case 'queued':
      case 'onboarding':
        return { kind, ...end };
      case 'already-queued':
      case 'already-chatting':
        return { kind };
      default:
        throw unexpected('find', kind);
    }
  }

  async stop(request: UserStep): Promise<StopResult> {
    return stopResult('stop', await this.#redis.step('hamdamStop', request.chatId, request.stamp));
  }

  async botBlocked(chatId: number, stamp: Stamp | null): Promise<StopResult> {
    return stopResult('botBlocked', await this.#redis.step('hamdamBotBlocked', chatId, stamp));
  }

  async relay(request: RelayRequest): Promise<RelayResult> {
    const [kind, partner] = await this.#redis.step(
      'hamdamRelay',
      request.chatId,
      request.stamp,
      request.messageId,
      request.mediaGroup === null ? '' : encodeGroup(request.mediaGroup),
      request.replyTo ?? '',
      request.ageAnswer ?? '',
      request.unknownCommand ? 1 : '',
      request.refused ? 1 : '',
    );
    const common = commonResult(kind);
    if (common) return common;
    switch (kind) {
      case 'relayed':
        return { kind, partner: Number(partner) };
      case 'not-chatting':
      case 'onboarding':
      case 'refused':
      case 'capped':
        return { kind };
      case 'asked':
      case 'done':
      case 'saved':
      case 'matched':
      case 'queued':
        return { kind: 'profile', outcome: kind };
      default:
        throw unexpected('relay', kind);
    }
  }

  async edit(request: EditRequest): Promise<EditResult> {
    const [kind, partner] = await this.#redis.step(
      'hamdamEdit',
      request.chatId,
      request.stamp,
      request.messageId,
      encodePayload(request.edit),
    );
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'relayed') return { kind, partner: Number(partner) };
    if (kind === 'not-chatting' || kind === 'capped') return { kind };
    throw unexpected('edit', kind);
  }
}

function stopResult(script: string, [kind, partner, dropped]: Reply[]): StopResult {
  const common = commonResult(kind);
  if (common) return common;
  if (kind === 'ended') return { kind, partner: Number(partner), dropped: Number(dropped ?? 0) };
  if (kind === 'left-queue' || kind === 'idle') return { kind };
  throw unexpected(script, kind);
}
