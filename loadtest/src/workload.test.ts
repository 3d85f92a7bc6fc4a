import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTargets, type RunReport } from './run-report.js';
import { capacityWorkload, measuredFromMs, STANDARD_WORKLOAD } from './workload.js';

const plan = { stepSeconds: 60, arrivalRate: 100, settleSeconds: 20 };

test('the burst form brings every user within 30 s and measures at once', () => {
  const w = capacityWorkload(STANDARD_WORKLOAD, 'burst', 20_000, plan);
  assert.equal(w.users, 20_000);
  assert.equal(w.rampMs, 30_000);
  assert.equal(measuredFromMs(w), 30_000);
  assert.equal(w.durationMs, 60_000);
});

test('the steady form brings users at the arrival rate and measures once they settled', () => {
  const w = capacityWorkload(STANDARD_WORKLOAD, 'steady', 20_000, plan);
  assert.equal(w.rampMs, 200_000, '20,000 users at 100 a second');
  assert.equal(measuredFromMs(w), 220_000);
  assert.equal(w.durationMs, 60_000);
  assert.equal(w.thinkMs, STANDARD_WORKLOAD.thinkMs, 'the rest of the workload is the standard');
});

test('each form of the search is checked against its own goal', () => {
  const step = { relayP99: 90, webhookP99: 20, updatesPerSec: 1_000, lost: 0, duplicated: 0 };
  const search = (form: 'burst' | 'steady', largestHolding: number) => ({
    form,
    largestHolding,
    steps: [{ ...step, users: largestHolding, misrouted: 0, holds: true }],
  });
  const report: Omit<RunReport, 'targets'> = {
    startedAt: '',
    command: '',
    machine: { cpus: 2, memoryGb: 24, node: 'v20', loadAverage: [] },
    blackBox: null,
    direct: null,
    capacity: { ...plan, searches: [search('burst', 15_000), search('steady', 15_000)] },
    profile: null,
    notes: [],
  };
  const targets = checkTargets(report);
  assert.deepEqual(
    targets.map((t) => [t.name, t.met]),
    [
      ['capacity, burst (relay p99 < 250 ms)', true],
      ['capacity, steady (relay p99 < 250 ms)', false],
    ],
  );
});
