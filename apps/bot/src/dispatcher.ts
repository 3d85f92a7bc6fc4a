import type { Logger } from 'pino';
import { NetworkError, TelegramError, type BotApi } from '@hamdam/telegram';
import { replyRef, sentAnew, type Outgoing } from '@hamdam/domain';
import type { Claimed, Delivered, Outbox, Pairing, Settled } from '@hamdam/store';
import type { Metrics, SendOutcome } from './metrics.js';
import { landedCopies, renderEntry } from './outbox-render.js';
import { sendOutgoing } from './send-outgoing.js';

export interface DispatcherOptions {
  readonly outbox: Outbox;
  /** Ends the chat of a user who blocked the bot (a 403). */
  readonly pairing: Pairing;
  readonly api: BotApi;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Bot API calls in flight at once from this worker. */
  readonly concurrency: number;
  /**
   * How long a claimed entry stays ours unless renewed; the leases of sends still in flight are
   * renewed every third of it, so only a dead worker's entries are ever sent again.
   */
  readonly leaseMs?: number;
  /** Longest sleep between looks at the outbox when nothing woke us. */
  readonly pollMs?: number;
}

/**
 * Drains the outbox: claims sendable chat heads, sends them through the Bot API client and
 * settles each: delivered → ack; 429 → wait `retry_after`; 403 → the user blocked the bot,
 * end their chat; 400 → undeliverable for good, drop it and tell the sender (a reply that was
 * to edit a message in place is sent as a new one instead); no answer → retry after a pause.
 * One chat has at most one call in flight, so its messages keep order.
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
  /** Heads being sent now, whose leases are renewed. */
  readonly #held = new Map<string, Claimed>();
  #renewer: NodeJS.Timeout | null = null;

  constructor(options: DispatcherOptions) {
    this.#o = { leaseMs: 15_000, pollMs: 50, ...options };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
    this.#renewer = setInterval(() => void this.#renew(), Math.max(50, this.#o.leaseMs / 3));
    this.#renewer.unref();
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
    if (this.#renewer) clearInterval(this.#renewer);
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

  async #renew(): Promise<void> {
    if (this.#held.size === 0) return;
    const held = [...this.#held.values()].map(({ chatId, entryId }) => ({ chatId, entryId }));
    await this.#o.outbox.renew(held, this.#o.leaseMs).catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'could not renew send leases');
    });
  }

  async #send(entry: Claimed): Promise<void> {
    const { api, logger, metrics } = this.#o;
    const call = renderEntry(entry);
    if (!call) {
      // An unreadable entry (a bug, or written by another version) or an edit of a copy that
      // cannot be found: there is nothing to send. Dropping it lets the chat's next entries go.
      if (!entry.item) {
        logger.error(
          { chat: entry.chatId, entry: entry.entryId },
          'unreadable outbox entry, dropped',
        );
        metrics.poison.inc();
      }
      // Settled as not delivered: it reached nobody (a broadcast counts it so).
      this.#delivered.push({ chatId: entry.chatId, entryId: entry.entryId, failed: true });
      return;
    }
    const key = `${entry.chatId} ${entry.entryId}`;
    this.#held.set(key, entry);
    this.#inFlight++;
    metrics.inFlight.inc();
    const end = metrics.sendDuration.startTimer();
    let outcome: SendOutcome = 'ok';
    try {
      const answer = await sendOutgoing(api, call);
      const pairs = landedCopies(entry, answer);
      this.#delivered.push(
        pairs.length > 0 && entry.item?.kind === 'copy'
          ? {
              chatId: entry.chatId,
              entryId: entry.entryId,
              copies: { from: entry.item.from, pairs },
            }
          : { chatId: entry.chatId, entryId: entry.entryId },
      );
    } catch (err) {
      outcome = await this.#settleFailure(entry, call, err);
    } finally {
      this.#held.delete(key);
      this.#inFlight--;
      metrics.inFlight.dec();
      end();
      metrics.sends.inc({ method: call.method, outcome });
    }
  }

  /** A copy whose chat ended while its send failed is dropped, not tried again. */
  #countDrop(result: 'deferred' | 'dropped'): void {
    if (result === 'dropped') this.#o.metrics.dropped.inc({ reason: 'chat_ended' });
  }

  async #settleFailure(entry: Claimed, call: Outgoing, err: unknown): Promise<SendOutcome> {
    const { outbox, pairing, logger } = this.#o;
    try {
      if (err instanceof TelegramError) {
        if (err.isRateLimited) {
          this.#countDrop(
            await outbox.defer(
              entry.chatId,
              entry.entryId,
              Date.now() + (err.retryAfter ?? 1) * 1000,
            ),
          );
          return 'rate_limited';
        }
        if (err.isBlocked) {
          // Counted as not delivered (a broadcast keeps the count), then the user's chat ends
          // and whatever else was owed to them goes.
          await outbox.settle(
            [{ chatId: entry.chatId, entryId: entry.entryId, failed: true }],
            0,
            0,
          );
          await pairing.botBlocked(entry.chatId, null);
          return 'blocked';
        }
        if (err.errorCode >= 400 && err.errorCode < 500) {
          logger.warn(
            { method: call.method, code: err.errorCode, description: err.description },
            'send rejected, dropped',
          );
          await outbox.settle(
            [{ chatId: entry.chatId, entryId: entry.entryId, failed: true }],
            0,
            0,
          );
          const item = entry.item;
          if (item?.kind === 'copy') {
            await outbox.say({ chatId: item.from, stamp: null, payload: replyRef('notDelivered') });
          }
          // A reply said in place whose message cannot be edited (deleted, too old) is sent
          // as a new message, so onboarding's next question is never lost; one refused as
          // "not modified" already shows.
          const anew = item?.kind === 'reply' ? sentAnew(item.ref) : null;
          if (anew && !err.isNotModified) {
            await outbox.say({ chatId: entry.chatId, stamp: null, payload: anew });
          }
          return 'rejected';
        }
      }
      // No answer, a 5xx or a garbled answer: the call may be retried; the lease would
      // also bring it back, but sooner is kinder.
      const kind = err instanceof NetworkError ? 'network' : 'error';
      logger.warn({ err, method: call.method }, 'send failed, will retry');
      this.#countDrop(
        await outbox.defer(entry.chatId, entry.entryId, Date.now() + 1000 + Math.random() * 1000),
      );
      return kind;
    } catch (storeErr) {
      // The store is out of reach: the lease brings the entry back when it returns.
      logger.error({ err: storeErr }, 'could not settle a send');
      return 'error';
    }
  }
}
