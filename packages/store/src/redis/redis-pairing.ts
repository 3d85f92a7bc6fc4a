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
  Actor,
} from '../pairing.js';
import { encodePayload } from '../payload.js';
import {
  asList,
  commonResult,
  luaFunction,
  optionalNumber,
  unexpected,
  updateArgs,
  UPDATE_ARGS,
  type Reply,
} from './lua-function.js';
import type { LuaRunner } from './lua-runner.js';

export const START = luaFunction('start', [...UPDATE_ARGS, 'langHint'], (reply): StartResult => {
  const [kind] = asList(reply);
  const common = commonResult(kind);
  if (common) return common;
  if (kind === 'onboarding' || kind === 'welcome') return { kind };
  throw unexpected('start', kind);
});

export const FIND = luaFunction(
  'find',
  [...UPDATE_ARGS, 'next', 'langHint'],
  (reply): FindResult => {
    const [kind, ended, dropped, partner, waited] = asList(reply);
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
  },
);

const stopResult =
  (name: string) =>
  (reply: Reply): StopResult => {
    const [kind, partner, dropped] = asList(reply);
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'ended') return { kind, partner: Number(partner), dropped: Number(dropped ?? 0) };
    if (kind === 'left-queue' || kind === 'idle') return { kind };
    throw unexpected(name, kind);
  };

export const STOP = luaFunction('stop', UPDATE_ARGS, stopResult('stop'));
export const BOT_BLOCKED = luaFunction('botBlocked', UPDATE_ARGS, stopResult('botBlocked'));

export const RELAY = luaFunction(
  'relay',
  [...UPDATE_ARGS, 'message', 'group', 'replyTo', 'age', 'unknown', 'refused'],
  (reply): RelayResult => {
    const [kind, partner] = asList(reply);
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
  },
);

export const EDIT = luaFunction(
  'edit',
  [...UPDATE_ARGS, 'message', 'call'],
  (reply): EditResult => {
    const [kind, partner] = asList(reply);
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'relayed') return { kind, partner: Number(partner) };
    if (kind === 'not-chatting' || kind === 'capped') return { kind };
    throw unexpected('edit', kind);
  },
);

export class RedisPairing implements Pairing {
  readonly #lua: LuaRunner;

  constructor(lua: LuaRunner) {
    this.#lua = lua;
  }

  start(request: StartRequest): Promise<StartResult> {
    return this.#lua.run(START, {
      ...updateArgs(request.chatId, request.stamp),
      langHint: request.langHint,
    });
  }

  find(request: FindRequest): Promise<FindResult> {
    return this.#lua.run(FIND, {
      ...updateArgs(request.chatId, request.stamp),
      next: request.next ? 1 : 0,
      langHint: request.langHint,
    });
  }

  stop(request: Actor): Promise<StopResult> {
    return this.#lua.run(STOP, updateArgs(request.chatId, request.stamp));
  }

  botBlocked(chatId: number, stamp: Stamp | null): Promise<StopResult> {
    return this.#lua.run(BOT_BLOCKED, updateArgs(chatId, stamp));
  }

  relay(request: RelayRequest): Promise<RelayResult> {
    return this.#lua.run(RELAY, {
      ...updateArgs(request.chatId, request.stamp),
      message: request.messageId,
      group: request.mediaGroup ?? '',
      replyTo: request.replyTo ?? '',
      age: request.ageAnswer ?? '',
      unknown: request.unknownCommand ? 1 : '',
      refused: request.refused ? 1 : '',
    });
  }

  edit(request: EditRequest): Promise<EditResult> {
    return this.#lua.run(EDIT, {
      ...updateArgs(request.chatId, request.stamp),
      message: request.messageId,
      call: encodePayload(request.edit),
    });
  }
}
