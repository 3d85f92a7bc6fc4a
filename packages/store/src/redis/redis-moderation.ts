import type {
  BlockResult,
  Moderation,
  ReasonRequest,
  ReasonResult,
  ReportResult,
} from '../moderation.js';
import type { UserStep } from '../pairing.js';
import { commonResult, unexpected, type ScriptRunner } from './script-runner.js';

export class RedisModeration implements Moderation {
  readonly #redis: ScriptRunner;

  constructor(redis: ScriptRunner) {
    this.#redis = redis;
  }

  async report(request: UserStep): Promise<ReportResult> {
    const [kind, , dropped] = await this.#redis.step('hamdamReport', request.chatId, request.stamp);
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'asked') return { kind, dropped: Number(dropped ?? 0) };
    if (kind === 'nothing') return { kind };
    throw unexpected('report', kind);
  }

  async reportReason(request: ReasonRequest): Promise<ReasonResult> {
    const [kind, , banned] = await this.#redis.step(
      'hamdamReportReason',
      request.chatId,
      request.stamp,
      request.reason,
      request.queryId,
      request.chat,
    );
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'reported') return { kind, reportedBanned: banned === '1' };
    if (kind === 'again' || kind === 'expired') return { kind };
    throw unexpected('reportReason', kind);
  }

  async block(request: UserStep): Promise<BlockResult> {
    const [kind, , dropped] = await this.#redis.step('hamdamBlock', request.chatId, request.stamp);
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'blocked') return { kind, dropped: Number(dropped ?? 0) };
    if (kind === 'nothing') return { kind };
    throw unexpected('block', kind);
  }

  async ban(chatId: number, until: number | null, by: number): Promise<void> {
    await this.#redis.script('hamdamBan', chatId, until === null ? '' : Math.round(until), by);
  }

  async unban(chatId: number, by: number): Promise<boolean> {
    const reply = await this.#redis.script('hamdamUnban', chatId, by);
    return Array.isArray(reply) && reply[0] === 'unbanned';
  }
}
