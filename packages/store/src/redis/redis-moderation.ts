import type {
  BlockResult,
  Moderation,
  ReasonRequest,
  ReasonResult,
  ReportResult,
} from '../moderation.js';
import type { UserStep } from '../pairing.js';
import {
  asList,
  commonResult,
  luaFunction,
  unexpected,
  updateArgs,
  UPDATE_ARGS,
} from './lua-function.js';
import type { LuaRunner } from './lua-runner.js';

export const REPORT = luaFunction('report', UPDATE_ARGS, (reply): ReportResult => {
  const [kind, , dropped] = asList(reply);
  const common = commonResult(kind);
  if (common) return common;
  if (kind === 'asked') return { kind, dropped: Number(dropped ?? 0) };
  if (kind === 'nothing') return { kind };
  throw unexpected('report', kind);
});

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

export const BLOCK = luaFunction('block', UPDATE_ARGS, (reply): BlockResult => {
  const [kind, , dropped] = asList(reply);
  const common = commonResult(kind);
  if (common) return common;
  if (kind === 'blocked') return { kind, dropped: Number(dropped ?? 0) };
  if (kind === 'nothing') return { kind };
  throw unexpected('block', kind);
});

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

  report(request: UserStep): Promise<ReportResult> {
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

  block(request: UserStep): Promise<BlockResult> {
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
