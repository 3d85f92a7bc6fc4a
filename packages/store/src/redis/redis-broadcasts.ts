import type { Outgoing } from '@hamdam/domain';
import type { Broadcasts, BroadcastStatus } from '../broadcasts.js';
import { KEY } from './keys.js';
import type { ScriptRunner } from './script-runner.js';

export class RedisBroadcasts implements Broadcasts {
  readonly #redis: ScriptRunner;

  constructor(redis: ScriptRunner) {
    this.#redis = redis;
  }

  async start(admin: number, call: Outgoing, total: number): Promise<boolean> {
    return (await this.#redis.script('hamdamBcStart', admin, JSON.stringify(call), total)) === 1;
  }

  async status(): Promise<BroadcastStatus | null> {
    const key = this.#redis.key(KEY.broadcast);
    const v = await this.#redis.call(() => this.#redis.client.hgetall(key));
    if (v['state'] !== 'running' && v['state'] !== 'done') return null;
    const n = (name: string) => Number(v[name] ?? 0);
    return {
      state: v['state'],
      admin: n('admin'),
      cursor: n('cursor'),
      total: n('total'),
      queued: n('queued'),
      sent: n('sent'),
      failed: n('failed'),
      allQueued: v['all'] === '1',
    };
  }

  async enqueue(chats: readonly number[], cursor: number, last: boolean): Promise<void> {
    await this.#redis.script('hamdamBcEnqueue', cursor, last ? 1 : '', ...chats);
  }

  async check(progressEveryMs: number): Promise<BroadcastStatus['state'] | null> {
    const state = await this.#redis.script('hamdamBcCheck', progressEveryMs);
    return state === 'running' || state === 'done' ? state : null;
  }
}
