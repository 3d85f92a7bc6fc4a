import type { ServerResponse } from 'node:http';

// A client that cannot keep up (a backgrounded browser tab) is dropped rather
// than letting its unsent events grow without bound.
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events fan-out for /control/stream. Events published within one
 * tick are coalesced into a single write per client, which keeps the cost flat
 * when the bot sends thousands of messages per second.
 */
export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  #buffer: string[] = [];
  #flushScheduled = false;
  #heartbeat: NodeJS.Timeout | undefined;

  /** Lets publishers skip serialising events nobody will read. */
  get hasClients(): boolean {
    return this.#clients.size > 0;
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n: connected\n\n');
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
    this.#heartbeat ??= setInterval(() => this.#broadcast(': heartbeat\n\n'), HEARTBEAT_MS).unref();
  }

  /** `json` must already be serialised JSON on one line. */
  publish(event: string, json: string): void {
    if (this.#clients.size === 0) return;
    this.#buffer.push(`event: ${event}\ndata: ${json}\n\n`);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  close(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#buffer = [];
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#buffer.length === 0) return;
    const chunk = this.#buffer.join('');
    this.#buffer = [];
    this.#broadcast(chunk);
  }

  #broadcast(chunk: string): void {
    for (const res of this.#clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.#clients.delete(res);
        res.destroy();
      } else {
        res.write(chunk);
      }
    }
  }
}
