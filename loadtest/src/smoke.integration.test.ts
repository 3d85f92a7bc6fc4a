import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTopology, type Topology } from '@hamdam/bot/testing';
import { loadTopology, runBlackBox, type BlackBoxResult } from './black-box-run.js';
import { seededRandom } from './seeded-random.js';
import { SMOKE_WORKLOAD } from './workload.js';

/**
 * A few hundred users for well under a minute through the whole topology: the ledger must
 * balance exactly, and the run must produce figures. No time is asserted: this box is shared.
 */
describe('load test smoke run', () => {
  let topology: Topology;
  let result: BlackBoxResult;

  before(async () => {
    // nginx reaches the workers on their Unix sockets here; the fault and metrics runs use ports.
    topology = await startTopology(loadTopology(2, 100, 'unix'));
    result = await runBlackBox(topology, SMOKE_WORKLOAD, {
      workers: 2,
      random: seededRandom(7),
      record: 100,
      log: () => undefined,
      drainMaxMs: 30_000,
    });
  });
  after(async () => {
    await topology?.close();
  });

  it('relays every expected message exactly once, to the right partner', () => {
    const { ledger } = result;
    assert.ok(ledger.sent > 500, `a real amount of traffic (${ledger.sent} messages)`);
    assert.deepEqual(
      {
        lost: ledger.lost,
        duplicated: ledger.duplicated,
        misrouted: ledger.misrouted,
        late: ledger.late,
      },
      { lost: 0, duplicated: 0, misrouted: 0, late: 0 },
      ledger.examples.join('\n'),
    );
    assert.deepEqual(ledger.ruleViolations, {});
    // Whatever was expected and did not arrive, the bot dropped on purpose and counted: copies
    // still owed when their chat ended.
    assert.equal(ledger.delivered + ledger.dropped, ledger.expected);
    assert.deepEqual(result.errors, {}, 'every reply was one the user could expect');
  });

  it('exercised chats ending on both sides, and produced figures', () => {
    assert.ok(result.matchDirect.count + result.matchQueued.count > SMOKE_WORKLOAD.users);
    assert.ok(result.relay.count > 0 && result.relay.p99 > 0);
    assert.ok(result.webhook.count > 0 && result.webhook.p99 > 0);
    assert.ok(result.throughput.updatesPerSec > 0);
    assert.ok(result.series.length > 0 && result.resources.length > 0);
    assert.ok(result.resources.some((r) => r.workers.every((w) => w.rssMb > 0)));
    assert.ok(result.recorded.length > 0, 'recorded update shapes for the direct driver');
    assert.ok(result.counters.updates && Object.keys(result.counters.updates).length > 0);
  });
});
