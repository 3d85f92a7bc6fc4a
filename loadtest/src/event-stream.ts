import { request } from 'undici';

/** The part of an emulator `sent` event the load test reads. */
export interface SentEvent {
  seq: number;
  chat_id: number;
  kind: 'send' | 'copy' | 'edit' | 'delete';
  message: { message_id: number; text?: string; caption?: string };
  /** The inline keyboard of a bot message, when it has one. */
  reply_markup?: { inline_keyboard?: { callback_data?: string }[][] };
}

export interface StreamHandlers {
  sent(event: SentEvent): void;
  /** Raw JSON of an injected update, for recording the request shape; return false to stop. */
  update?(json: string): boolean;
}

/**
 * One SSE connection to `/control/stream`. The emulator coalesces events per tick, so a chunk
 * holds many; only `sent` events are parsed, `update` events only while someone records them.
 */
export class EventStream {
  readonly #controller = new AbortController();
  #done: Promise<void> | undefined;
  #recording = true;
  events = 0;

  async open(baseUrl: string, handlers: StreamHandlers): Promise<void> {
    const response = await request(`${baseUrl}/control/stream`, {
      signal: this.#controller.signal,
      headersTimeout: 10_000,
      bodyTimeout: 0,
    });
    if (response.statusCode !== 200) throw new Error(`stream: ${response.statusCode}`);
    response.body.setEncoding('utf8');
    let pending = '';
    const body = response.body as AsyncIterable<string>;
    this.#done = (async () => {
      try {
        for await (const chunk of body) {
          pending += chunk;
          let end = pending.indexOf('\n\n');
          let start = 0;
          while (end >= 0) {
            this.#dispatch(pending.slice(start, end), handlers);
            start = end + 2;
            end = pending.indexOf('\n\n', start);
          }
          pending = pending.slice(start);
        }
      } catch (error) {
        if (!this.#controller.signal.aborted) throw error;
      }
    })();
  }

  #dispatch(block: string, handlers: StreamHandlers): void {
    if (block.startsWith('event: sent\ndata: ')) {
      this.events++;
      handlers.sent(JSON.parse(block.slice(18)) as SentEvent);
    } else if (this.#recording && handlers.update && block.startsWith('event: update\ndata: ')) {
      this.#recording = handlers.update(block.slice(20));
    }
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await this.#done?.catch(() => undefined);
  }
}
