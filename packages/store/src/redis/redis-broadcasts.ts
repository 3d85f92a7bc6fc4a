import type { Outgoing } from '@hamdam/domain';
import type {
  BroadcastPage,
  BroadcastRequest,
  Broadcasts,
  BroadcastStatus,
  BroadcastCancelResult,
  BroadcastStartResult,
} from '../broadcasts.js';
import { KEY } from './keys.js';
import { unexpected, type ScriptRunner } from './script-runner.js';

const STATES: readonly string[] = [
  'running',
  'done',
  'cancelled',
] satisfies BroadcastStatus['state'][];
const isState = (v: unknown): v is BroadcastStatus['state'] =>
  typeof v === 'string' && STATES.includes(v);

export class RedisBroadcasts implements Broadcasts {
  readonly #redis: ScriptRunner;

  constructor(redis: ScriptRunner) {
    this.#redis = redis;
  }

  async start(
    request: BroadcastRequest,
    call: Outgoing,
    total: number,
  ): Promise<BroadcastStartResult> {
    const [kind] = await this.#redis.step(
      'hamdamBcStart',
      request.chatId,
      request.stamp,
      JSON.stringify(call),
      total,
    );
    if (kind === 'started' || kind === 'busy' || kind === 'duplicate') return kind;
    throw unexpected('hamdamBcStart', kind);
  }

  async cancel(request: BroadcastRequest): Promise<BroadcastCancelResult> {
    const [kind] = await this.#redis.step('hamdamBcCancel', request.chatId, request.stamp);
    if (kind === 'cancelled' || kind === 'not-running' || kind === 'duplicate') return kind;
    throw unexpected('hamdamBcCancel', kind);
  }

  async status(): Promise<BroadcastStatus | null> {
    const key = this.#redis.key(KEY.broadcast);
    const v = await this.#redis.call(() => this.#redis.client.hgetall(key));
    const state = v['state'];
    if (!isState(state)) return null;
    const n = (name: string) => Number(v[name] ?? 0);
    return {
      state,
      admin: n('admin'),
      cursor: n('cursor'),
      total: n('total'),
      queued: n('queued'),
      sent: n('sent'),
      failed: n('failed'),
      allQueued: v['all'] === '1',
    };
  }

  async enqueue(page: BroadcastPage): Promise<boolean> {
    const answer = await this.#redis.script(
      'hamdamBcEnqueue',
      page.owner,
      page.after,
      page.cursor,
      page.last ? 1 : '',
      ...page.chats,
    );
    return answer === 'queued';
  }

  async check(progressEveryMs: number): Promise<BroadcastStatus['state'] | null> {
    const state = await this.#redis.script('hamdamBcCheck', progressEveryMs);
    return isState(state) ? state : null;
  }
}
