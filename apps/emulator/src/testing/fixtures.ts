import { after, afterEach, before, beforeEach } from 'node:test';
import type { EmulatorOptions } from '../emulator-options.js';
import {
  startEmulator,
  startReceiver,
  type ApiBody,
  type ControlBody,
  type JsonResponse,
  type Receiver,
  type ReceiverHandler,
  type TestEmulator,
} from './harness.js';

// The set-up every emulator suite repeated: one emulator per suite, a reset before and after
// each test (so a test that fails half-way leaves nothing behind), and closing at the end.
// Call these at the top of a `describe`; the objects they return stand for the live ones.

/** One emulator for the enclosing suite, reset around every test. */
export function useEmulator(options: Partial<EmulatorOptions> = {}): TestEmulator {
  const fixture = new EmulatorFixture();
  before(async () => fixture.start(await startEmulator(options)));
  beforeEach(() => fixture.reset());
  afterEach(() => fixture.reset());
  after(() => fixture.close());
  return fixture;
}

const answerOk: ReceiverHandler = (_request, res) => {
  res.end('ok');
};

/** A webhook endpoint for the enclosing suite: no requests and answering 200 at each test's start. */
export function useReceiver(): Receiver {
  const fixture = new ReceiverFixture();
  before(async () => fixture.start(await startReceiver()));
  beforeEach(() => fixture.clear());
  after(() => fixture.close());
  return fixture;
}

class EmulatorFixture implements TestEmulator {
  #live: TestEmulator | undefined;

  start(live: TestEmulator): void {
    this.#live = live;
  }

  async reset(): Promise<void> {
    const response = await this.#get().control('POST', '/reset');
    if (response.status !== 200) throw new Error(`reset failed with ${response.status}`);
  }

  get emulator(): TestEmulator['emulator'] {
    return this.#get().emulator;
  }

  get url(): string {
    return this.#get().url;
  }

  api<T>(method: string, params?: Record<string, unknown>): Promise<JsonResponse<ApiBody<T>>> {
    return this.#get().api<T>(method, params);
  }

  control<T = ControlBody>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<JsonResponse<T>> {
    return this.#get().control<T>(method, path, body);
  }

  createUser(fields?: Record<string, unknown>): ReturnType<TestEmulator['createUser']> {
    return this.#get().createUser(fields);
  }

  say(userId: number, fields: Record<string, unknown>): ReturnType<TestEmulator['say']> {
    return this.#get().say(userId, fields);
  }

  async close(): Promise<void> {
    await this.#live?.close();
    this.#live = undefined;
  }

  #get(): TestEmulator {
    if (this.#live === undefined) throw new Error('the emulator fixture is used outside a test');
    return this.#live;
  }
}

class ReceiverFixture implements Receiver {
  #live: Receiver | undefined;

  start(live: Receiver): void {
    this.#live = live;
  }

  clear(): void {
    const live = this.#get();
    live.requests.length = 0;
    live.handler = answerOk;
  }

  get url(): string {
    return this.#get().url;
  }

  get requests(): Receiver['requests'] {
    return this.#get().requests;
  }

  get handler(): ReceiverHandler {
    return this.#get().handler;
  }

  set handler(handler: ReceiverHandler) {
    this.#get().handler = handler;
  }

  async close(): Promise<void> {
    await this.#live?.close();
    this.#live = undefined;
  }

  #get(): Receiver {
    if (this.#live === undefined) throw new Error('the receiver fixture is used outside a test');
    return this.#live;
  }
}
