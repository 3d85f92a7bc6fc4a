import type {
  BlockResult,
  Moderation,
  ReasonRequest,
  ReasonResult,
  ReportResult,
} from '../moderation.js';
import type { Actor } from '../pairing.js';
import {
  asList,
  commonResult,
  luaFunction,
  unexpected,
  updateArgs,
  UPDATE_ARGS,
  type CommonResult,
  type Reply,
} from './lua-function.js';
import type { LuaRunner } from './lua-runner.js';

/** /report and /block: the chat ended (and how many copies it dropped), or there was none. */
const endedOrNothing =
  <const K extends 'asked' | 'blocked'>(name: string, done: K) =>
  (reply: Reply): { kind: K; dropped: number } | { kind: 'nothing' } | CommonResult => {
    const [kind, , dropped] = asList(reply);
    const common = commonResult(kind);
    if (common) return common;
    if (kind === done) return { kind: done, dropped: Number(dropped ?? 0) };
    if (kind === 'nothing') return { kind };
    throw unexpected(name, kind);
  };

export const REPORT = luaFunction('report', UPDATE_ARGS, endedOrNothing('report', 'asked'));

export const REPORT_REASON = luaFunction(
  'reportReason',
  [...UPDATE_ARGS, 'reason', 'query', 'about'],
  (reply): ReasonResult => {
    const [kind, , banned] = asList(reply);
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'reported') return { kind, reportedBanned: banned === '1' };
    if (kind === 'again' || kind === 'expired') return { kind };
    throw unexpected('reportReason', kind);
  },
);

export const BLOCK = luaFunction('block', UPDATE_ARGS, endedOrNothing('block', 'blocked'));

export const BAN = luaFunction('ban', ['chat', 'endsAt', 'admin'], () => undefined);

export const UNBAN = luaFunction(
  'unban',
  ['chat', 'admin'],
  (reply) => Array.isArray(reply) && reply[0] === 'unbanned',
);

export class RedisModeration implements Moderation {
  readonly #lua: LuaRunner;

  constructor(lua: LuaRunner) {
    this.#lua = lua;
  }

  report(request: Actor): Promise<ReportResult> {
    return this.#lua.run(REPORT, updateArgs(request.chatId, request.stamp));
  }

  reportReason(request: ReasonRequest): Promise<ReasonResult> {
    return this.#lua.run(REPORT_REASON, {
      ...updateArgs(request.chatId, request.stamp),
      reason: request.reason,
      query: request.queryId,
      about: request.chat,
    });
  }

  block(request: Actor): Promise<BlockResult> {
    return this.#lua.run(BLOCK, updateArgs(request.chatId, request.stamp));
  }

  ban(chatId: number, until: number | null, by: number): Promise<void> {
    return this.#lua.run(BAN, {
      chat: chatId,
      endsAt: until === null ? '' : Math.round(until),
      admin: by,
    });
  }

  unban(chatId: number, by: number): Promise<boolean> {
    return this.#lua.run(UNBAN, { chat: chatId, admin: by });
  }
}
