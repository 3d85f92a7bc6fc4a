import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SecondSample } from '../black-box-run.js';
import { recovery } from './fault-run.js';

const second = (t: number, relayP99: number, relayed = 10): SecondSample => ({
  t,
  relayed,
  relayP50: relayP99 / 2,
  relayP99,
  updatesPosted: 0,
  updatesDelivered: 0,
  sends: 0,
  webhookP99: 0,
  emulatorGcMs: 0,
  shares: { chatting: 0, waiting: 0, arriving: 0 },
});

test('recovery: from the fault’s end to the first of three quick seconds in a row', () => {
  const series = [
    second(10, 50),
    second(11, 5_000),
    second(12, 3_000),
    second(13, 200),
    second(14, 1_500),
    second(15, 100),
    second(16, 90),
    second(17, 80),
  ];
  // The fault ended at 11.5 s: seconds 13 (quick) and 14 (slow) break the run; 15-17 hold.
  assert.equal(recovery(series, 11_500), 2.5);
  // Quick at once: the second that holds the end counts from the end, never below zero.
  assert.equal(recovery([second(1, 10), second(2, 10), second(3, 10)], 500), 0);
});

test('recovery: seconds without copies do not count, and never recovering is null', () => {
  const series = [second(5, 10, 0), second(6, 10, 0), second(7, 2_000), second(8, 2_000)];
  assert.equal(recovery(series, 4_000), null);
  const quiet = [second(5, 0, 0), second(6, 20), second(7, 0, 0), second(8, 20), second(9, 20)];
  assert.equal(recovery(quiet, 4_000), 1);
});
