import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BotApi } from '@hamdam/telegram';
import { openEmbeddedStateStore } from '@hamdam/store';
import { Dispatcher } from './dispatcher.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';

test('a dispatcher that stopped gives back what a step handed it, due at once', async () => {
  const store = openEmbeddedStateStore();
  try {
    const dispatcher = new Dispatcher({
      outbox: store.outbox,
      pairing: store.pairing,
      api: {} as BotApi,
      logger: createLogger('silent'),
      metrics: new Metrics(),
      concurrency: 4,
    });
    assert.equal(dispatcher.free(), 0, 'not running: no room');
    await store.outbox.say({ chatId: 3, stamp: null, payload: '@help' });
    // A step that began while the dispatcher ran took the head for it.
    const [taken] = await store.outbox.claim(10, 60_000);
    assert.ok(taken);
    dispatcher.send([taken]);
    let again: Awaited<ReturnType<typeof store.outbox.claim>> = [];
    for (let i = 0; i < 50 && again.length === 0; i++) {
      again = await store.outbox.claim(10, 60_000);
      if (again.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(
      again.map((c) => c.entryId),
      [taken.entryId],
      'not left to its minute-long lease',
    );
  } finally {
    await store.close();
  }
});
