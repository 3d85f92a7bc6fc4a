import type { Logger } from 'pino';
import { NetworkError, TelegramError, type BotApi } from '@hamdam/telegram';
import {
  CHATLESS_METHODS,
  parseReplyRef,
  renderReply,
  replyRef,
  type Outgoing,
} from '@hamdam/domain';
import type { Claimed, Delivered, Outbox, Pairing, Settled } from '@hamdam/store';
import type { Metrics } from './metrics.js';

export interface DispatcherOptions {
  readonly outbox: Outbox;
  /** Ends the chat of a user who blocked the bot (a 403). */
  readonly pairing: Pairing;
  readonly api: BotApi;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Bot API calls in flight at once from this worker. */
  readonly concurrency: number;
  /** How long a claimed entry stays ours; past it another worker sends it (crash recovery). */
  readonly leaseMs?: number;
  /** Longest sleep between looks at the outbox when nothing woke us. */
  readonly pollMs?: number;
}

/**
 * Drains the outbox: claims sendable chat heads, sends them through the Bot API client and
 * settles each: delivered → ack; 429 → wait `retry_after`; 403 → the user blocked the bot,
 * end their chat; 400 → undeliverable for good, drop it and tell the sender; no answer →
 * retry after a pause. One chat has at most one call in flight, so its messages keep order.
 */
export class Dispatcher {
  readonly #o: Required<DispatcherOptions>;
  #inFlight = 0;
  #running = false;
  #wake: (() => void) | null = null;
  #woken = false;
  #loop: Promise<void> | null = null;
  readonly #sends = new Set<Promise<void>>();
  /** Heads sent and not yet acknowledged in the store. */
  readonly #delivered: Delivered[] = [];

  constructor(options: DispatcherOptions) {
    this.#o = { leaseMs: 15_000, pollMs: 50, ...options };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Something was just added to the outbox: look now instead of at the next poll. */
  wake(): void {
    // A wake that comes while the loop is busy is remembered, so the loop looks again
    // instead of sleeping through the news.
    this.#woken = true;
    this.#wake?.();
  }

  /** True when nothing is in flight here and nothing is owed anywhere. */
  async idle(): Promise<boolean> {
    return (
      this.#sends.size === 0 &&
      this.#delivered.length === 0 &&
      (await this.#o.outbox.nextDue()) === null
    );
  }

  /** Stops claiming, then waits for the calls in flight to settle. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    await Promise.allSettled([...this.#sends]);
    // What was delivered meanwhile is acknowledged before the pools close, or it would be
    // sent again when its lease runs out.
    const rest = this.#delivered.splice(0);
    if (rest.length > 0) {
      await this.#o.outbox.settle(rest, 0, this.#o.leaseMs).catch((err: unknown) => {
        this.#o.logger.warn({ err }, 'could not acknowledge the last sends');
      });
    }
  }

  async #run(): Promise<void> {
    const { outbox, logger, concurrency, leaseMs, pollMs } = this.#o;
    while (this.#running) {
      this.#woken = false;
      const free = concurrency - this.#inFlight;
      // Acknowledgements ride with the next claim: one round trip per turn of the loop.
      const delivered = this.#delivered.splice(0);
      let settled: Settled;
      try {
        settled = await outbox.settle(delivered, Math.max(0, free), leaseMs);
      } catch (err) {
        this.#delivered.unshift(...delivered);
        logger.warn({ err }, 'outbox settle failed');
        await this.#sleep(500);
        continue;
      }
      for (const entry of settled.claimed) this.#track(this.#send(entry));
      if (free > 0 && settled.claimed.length === free) continue;
      if (this.#delivered.length > 0 || this.#woken) continue;
      const due = settled.nextDue;
      const wait = due === null ? pollMs : Math.max(0, Math.min(pollMs, due - Date.now()));
      if (this.#running) await this.#sleep(wait);
    }
  }

  #track(send: Promise<void>): void {
    this.#sends.add(send);
    void send.finally(() => {
      this.#sends.delete(send);
      this.wake();
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }

  async #send(entry: Claimed): Promise<void> {
    const { outbox, api, logger, metrics } = this.#o;
    const call = render(entry.payload);
    if (!call) {
      // Not one of ours (a bug, or an entry written by another version): sending it is impossible.
      logger.error({ entry: entry.entryId }, 'unreadable outbox entry, dropped');
      await outbox.ack(entry.chatId, entry.entryId);
      return;
    }
    this.#inFlight++;
    metrics.inFlight.inc();
    const end = metrics.sendDuration.startTimer();
    let outcome = 'ok';
    try {
      const params = CHATLESS_METHODS.includes(call.method)
        ? call.params
        : { ...call.params, chat_id: entry.chatId };
      await api.call(call.method, params);
      this.#delivered.push({ chatId: entry.chatId, entryId: entry.entryId });
    } catch (err) {
      outcome = await this.#settleFailure(entry, call, err);
    } finally {
      this.#inFlight--;
      metrics.inFlight.dec();
      end();
      metrics.sends.inc({ method: call.method, outcome });
    }
  }

  async #settleFailure(entry: Claimed, call: Outgoing, err: unknown): Promise<string> {
    const { outbox, pairing, logger } = this.#o;
    try {
      if (err instanceof TelegramError) {
        if (err.isRateLimited) {
          await outbox.defer(
            entry.chatId,
            entry.entryId,
            Date.now() + (err.retryAfter ?? 1) * 1000,
          );
          return 'rate_limited';
        }
        if (err.isBlocked) {
          await pairing.blocked(entry.chatId, null);
          return 'blocked';
        }
        if (err.errorCode >= 400 && err.errorCode < 500) {
          logger.warn(
            { method: call.method, code: err.errorCode, description: err.description },
            'send rejected, dropped',
          );
          await outbox.ack(entry.chatId, entry.entryId);
          const sender = call.method === 'copyMessage' ? call.params['from_chat_id'] : undefined;
          if (typeof sender === 'number') {
            await outbox.say({ chatId: sender, stamp: null, payload: replyRef('notDelivered') });
          }
          return 'rejected';
        }
      }
      // No answer, a 5xx or a garbled answer: the call may be retried; the lease would
      // also bring it back, but sooner is kinder.
      const kind = err instanceof NetworkError ? 'network' : 'error';
      logger.warn({ err, method: call.method }, 'send failed, will retry');
      await outbox.defer(entry.chatId, entry.entryId, Date.now() + 1000 + Math.random() * 1000);
      return kind;
    } catch (storeErr) {
      // The store is out of reach: the lease brings the entry back when it returns.
      logger.error({ err: storeErr }, 'could not settle a send');
      return 'unsettled';
    }
  }
}

/** The Bot API call an outbox entry stands for: a catalogue reply rendered now, or the call itself. */
function render(payload: Claimed['payload']): Outgoing | null {
  if (payload === null || typeof payload !== 'string') return payload;
  const name = parseReplyRef(payload);
  return name === null ? null : renderReply(name);
}
