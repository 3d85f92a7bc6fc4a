import { StoreCorruptError } from '../errors.js';
import type { Claimed, Delivered, Outbox, SayRequest, SendLimits, Settled } from '../outbox.js';
import { decodePayload, encodePayload, payloadList } from '../payload.js';
import { KEY } from './keys.js';
import { stampArgs } from './redis-pairing.js';
import { asList, optionalNumber, type ScriptRunner } from './script-runner.js';

export class RedisOutbox implements Outbox {
  readonly #redis: ScriptRunner;
  readonly #limits: SendLimits;

  constructor(redis: ScriptRunner, limits: SendLimits) {
    this.#redis = redis;
    this.#limits = limits;
  }

  async say(request: SayRequest): Promise<'said' | 'duplicate'> {
    const reply = await this.#redis.script(
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
      await this.#redis.script(
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
    await this.#redis.script('hamdamDefer', chatId, entryId, Math.ceil(dueAt));
  }

  async nextDue(): Promise<number | null> {
    const key = this.#redis.key(KEY.ready);
    const [, score] = await this.#redis.call(() =>
      this.#redis.client.zrange(key, 0, 0, 'WITHSCORES'),
    );
    return score === undefined ? null : Number(score);
  }

  async pending(chatId: number): Promise<number> {
    const key = this.#redis.key(KEY.outbox, chatId);
    return this.#redis.call(() => this.#redis.client.llen(key));
  }
}
