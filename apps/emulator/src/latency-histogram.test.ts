import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LATENCY_BOUNDS_MS, LatencyHistogram } from './latency-histogram.js';
import type { EmulatorStats } from './stats.js';
import { useEmulator, useReceiver } from './testing/fixtures.js';
import { waitFor } from './testing/harness.js';

describe('webhook latency histogram', () => {
  it('puts each sample in the first bucket whose bound holds it', () => {
    const histogram = new LatencyHistogram();
    for (const ms of [0.2, 0.5, 0.51, 24.9, 25, 25.1, 90_000]) histogram.record(ms);
    const { counts, count, max_ms, bounds_ms } = histogram.snapshot();
    const at = (bound: number) => counts[bounds_ms.indexOf(bound)];
    assert.equal(counts.length, LATENCY_BOUNDS_MS.length + 1);
    assert.equal(at(0.5), 2, '0.2 and 0.5 are at most 0.5');
    assert.equal(at(1), 1);
    assert.equal(at(25), 2, '24.9 and 25');
    assert.equal(at(30), 1, '25.1');
    assert.equal(counts.at(-1), 1, 'above the last bound');
    assert.equal(count, 7);
    assert.equal(max_ms, 90_000);
    histogram.reset();
    assert.equal(histogram.snapshot().count, 0);
  });

  describe('in /control/stats', () => {
    const emu = useEmulator();
    const hook = useReceiver();

    it('records the round trip of every successful delivery, not of failed attempts', async () => {
      let failOnce = true;
      hook.handler = (_request, res) => {
        if (failOnce) {
          failOnce = false;
          res.statusCode = 500;
          res.end();
          return;
        }
        // A slow webhook: its round trips must land at or above this delay.
        setTimeout(() => res.end('ok'), 40);
      };
      await emu.api('setWebhook', { url: hook.url });
      const user = await emu.createUser();
      for (const text of ['a', 'b', 'c']) await emu.say(user.id, { text });
      const stats = async () => (await emu.control<EmulatorStats>('GET', '/stats')).body;
      await waitFor(async () => (await stats()).updates_delivered === 3);
      const { webhook_latency: latency, delivery_attempts } = await stats();
      assert.equal(delivery_attempts, 4, 'one failed attempt and three deliveries');
      assert.equal(latency.count, 3);
      const below40 = latency.bounds_ms.findIndex((bound) => bound >= 40);
      assert.equal(
        latency.counts.slice(0, below40).reduce((a, b) => a + b, 0),
        0,
        'no round trip under the 40 ms the webhook took',
      );
      assert.ok(latency.sum_ms >= 120 && latency.max_ms >= 40);
      await emu.control('POST', '/reset');
      assert.equal((await stats()).webhook_latency.count, 0, 'reset clears it');
    });
  });
});
