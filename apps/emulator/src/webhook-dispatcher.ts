import { STATUS_CODES } from 'node:http';
import { Pool } from 'undici';
import { Deque } from './deque.js';
import type { Stats } from './stats.js';
import type { PendingUpdate } from './update-store.js';

export interface WebhookTarget {
  readonly url: string;
  readonly secretToken: string | undefined;
  readonly maxConnections: number;
}

export interface DeliveryTiming {
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly timeoutMs: number;
}

export interface DeliveryListener {
  delivered(update: PendingUpdate): void;
  failed(update: PendingUpdate, reason: string): void;
}

/** Telegram clamps a webhook's Retry-After to an hour. */
const MAX_RETRY_AFTER_MS = 3_600_000;

interface DeliveryQueue {
  readonly key: number;
  readonly items: Deque<PendingUpdate>;
  failures: number;
  /** True while the queue is ready, in flight or waiting for a retry: its head is taken care of. */
  busy: boolean;
}

/**
 * Delivers updates to one webhook the way Telegram does: one FIFO per queue
 * key, only the head of each queue in flight, the next one only after a 2xx,
 * failed heads retried with backoff, and at most max_connections requests in
 * flight across all queues.
 */
export class WebhookDispatcher {
  readonly #target: WebhookTarget;
  readonly #timing: DeliveryTiming;
  readonly #stats: Stats;
  readonly #listener: DeliveryListener;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #queues = new Map<number, DeliveryQueue>();
  readonly #ready = new Deque<DeliveryQueue>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #inFlight = 0;
  #stopped = false;

  constructor(
    target: WebhookTarget,
    timing: DeliveryTiming,
    stats: Stats,
    listener: DeliveryListener,
  ) {
    this.#target = target;
    this.#timing = timing;
    this.#stats = stats;
    this.#listener = listener;
    const url = new URL(target.url);
    this.#path = url.pathname + url.search;
    this.#headers =
      target.secretToken === undefined
        ? { 'content-type': 'application/json' }
        : {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': target.secretToken,
          };
    this.#pool = new Pool(url.origin, {
      connections: target.maxConnections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // Backstops only; the per-request timer in #send enforces timeoutMs.
      headersTimeout: timing.timeoutMs + 2_000,
      bodyTimeout: timing.timeoutMs + 2_000,
    });
  }

  get target(): WebhookTarget {
    return this.#target;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  enqueue(update: PendingUpdate): void {
    if (this.#stopped) return;
    let queue = this.#queues.get(update.queueKey);
    if (queue === undefined) {
      queue = { key: update.queueKey, items: new Deque(), failures: 0, busy: false };
      this.#queues.set(update.queueKey, queue);
    }
    queue.items.push(update);
    if (!queue.busy) {
      queue.busy = true;
      this.#ready.push(queue);
      this.#pump();
    }
  }

  /** Aborts requests in flight and cancels retries; undelivered updates stay with their owner. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#ready.clear();
    this.#queues.clear();
    await this.#pool.destroy();
  }

  #pump(): void {
    while (this.#inFlight < this.#target.maxConnections) {
      const queue = this.#ready.shift();
      if (queue === undefined) return;
      void this.#send(queue);
    }
  }

  async #send(queue: DeliveryQueue): Promise<void> {
    const update = queue.items.peek();
    if (update === undefined) {
      queue.busy = false;
      this.#queues.delete(queue.key);
      return;
    }
    this.#inFlight++;
    this.#stats.deliveryAttempts++;
    this.#stats.observeInFlight(this.#inFlight);
    let failure: string | undefined;
    let retryAfterMs: number | undefined;
    const startedAt = performance.now();
    // undici's own timeouts tick once a second; a native timer keeps short test timeouts precise.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timing.timeoutMs);
    try {
      const response = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers: this.#headers,
        body: update.json,
        signal: controller.signal,
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode > 299) {
        failure =
          `Wrong response from the webhook: ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}`.trimEnd();
        retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      }
    } catch (error) {
      failure = timedOut ? 'Read timeout expired' : describeNetworkError(error);
    } finally {
      clearTimeout(timer);
      this.#inFlight--;
    }
    if (this.#stopped) return;
    if (failure === undefined) {
      this.#stats.webhookLatency.record(performance.now() - startedAt);
      this.#succeeded(queue, update);
    } else this.#failed(queue, update, failure, retryAfterMs);
    this.#pump();
  }

  #succeeded(queue: DeliveryQueue, update: PendingUpdate): void {
    queue.items.shift();
    queue.failures = 0;
    this.#listener.delivered(update);
    if (queue.items.length > 0) {
      this.#ready.push(queue);
    } else {
      queue.busy = false;
      this.#queues.delete(queue.key);
    }
  }

  #failed(
    queue: DeliveryQueue,
    update: PendingUpdate,
    reason: string,
    retryAfterMs: number | undefined,
  ): void {
    this.#stats.deliveryFailures++;
    this.#listener.failed(update, reason);
    queue.failures++;
    // Telegram retries the first failure at once, then doubles the wait.
    const backoff =
      queue.failures === 1
        ? 0
        : Math.min(this.#timing.retryMaxMs, this.#timing.retryBaseMs * 2 ** (queue.failures - 1));
    const delay = retryAfterMs ?? backoff;
    if (delay <= 0) {
      this.#ready.push(queue);
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#ready.push(queue);
      this.#pump();
    }, delay);
    this.#timers.add(timer);
  }
}

function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Number(value.trim()) * 1000);
}

function describeNetworkError(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return 'Read timeout expired';
  if (code === 'ECONNREFUSED') return 'Connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'Connection reset by peer';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return 'Failed to resolve host: Name or service not known';
  return error instanceof Error ? error.message : String(error);
}
