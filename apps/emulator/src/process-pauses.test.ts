import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcessPauses } from './process-pauses.js';

describe('ProcessPauses', () => {
  it('counts collections and a blocked event loop, and forgets them on reset', async () => {
    const pauses = new ProcessPauses();
    try {
      // Garbage enough for the young generation to be collected a few times.
      let keep = 0;
      for (let i = 0; i < 200_000; i++) keep += { i, s: `x${i}` }.s.length;
      assert.ok(keep > 0);
      await sleep(30); // the delay monitor measures from its first tick on
      const blockedUntil = performance.now() + 120;
      while (performance.now() < blockedUntil);
      await sleep(50); // the observer and the delay monitor report asynchronously
      const seen = pauses.snapshot();
      assert.ok(seen.gc_count > 0, 'collections were observed');
      assert.ok(seen.gc_total_ms > 0 && seen.gc_max_ms <= seen.gc_total_ms);
      assert.ok(seen.loop_delay_max_ms >= 100, `loop delay max ${seen.loop_delay_max_ms} ms`);
      pauses.reset();
      const fresh = pauses.snapshot();
      assert.equal(fresh.gc_count, 0);
      assert.equal(fresh.gc_total_ms, 0);
      assert.ok(fresh.loop_delay_max_ms < 100);
    } finally {
      pauses.close();
    }
  });
});
