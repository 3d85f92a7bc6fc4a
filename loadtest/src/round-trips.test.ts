import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { callCounts, roundTrips } from './round-trips.js';

const page = (redis: number, copies: number, texts: number) => `# HELP x
hamdam_redis_command_duration_seconds_bucket{le="0.001"} ${redis - 1}
hamdam_redis_command_duration_seconds_count ${redis}
hamdam_sends_total{method="copyMessage",outcome="ok"} ${copies}
hamdam_sends_total{method="sendMessage",outcome="ok"} ${texts}
hamdam_sends_total{method="sendMessage",outcome="rate_limited"} 1
`;

test('calls summed over workers, and per relayed message over the window', () => {
  const before = callCounts([page(10, 2, 1), page(20, 3, 0)]);
  assert.deepEqual(before, { redis: 30, botApi: 8, copyMessage: 5 });
  const after = callCounts([page(40, 12, 3), page(50, 13, 2)]);
  assert.deepEqual(roundTrips(before, after, 20), {
    redis: 60,
    botApi: 24,
    copyMessage: 20,
    relayed: 20,
    redisPerRelayed: 3,
    botApiPerRelayed: 1.2,
    copyMessagePerRelayed: 1,
  });
  assert.equal(roundTrips(before, after, 0).redisPerRelayed, 0);
});
