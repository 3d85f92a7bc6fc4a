import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePortRange, startTopology } from './topology.js';

describe('test topology', () => {
  it('fails at once with what the workers printed when they cannot start', async () => {
    const started = Date.now();
    await assert.rejects(
      startTopology({ workers: 1, env: { FLOOD_BURST: 'lots' } }),
      (err: Error) => {
        assert.match(err.message, /^workers did not start: the supervisor exited with 1: /);
        assert.match(err.message, /FLOOD_BURST/, 'the setting at fault is named');
        return true;
      },
    );
    assert.ok(Date.now() - started < 30_000, 'no wait for the start-up timeout');
  });

  it('hands out ports below the ephemeral range, where outgoing connections cannot take them', async () => {
    for (let i = 0; i < 20; i++) {
      const first = await freePortRange(4);
      assert.ok(first >= 20_000 && first + 4 <= 32_768, String(first));
    }
  });
});
