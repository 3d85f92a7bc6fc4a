import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from './cli-flags.js';

test('nginx reaches the workers over their ports unless --upstream unix says sockets', () => {
  assert.equal(parseFlags([]).upstream, 'tcp');
  assert.equal(parseFlags(['--upstream', 'unix']).upstream, 'unix');
  assert.throws(() => parseFlags(['--upstream', 'udp']), /--upstream must be tcp or unix/);
});

test('the steady form of the capacity search arrives at --arrival-rate and settles --settle', () => {
  const flags = parseFlags([]);
  assert.equal(flags.arrivalRate, 100);
  assert.equal(flags.settleSeconds, 20);
  const set = parseFlags(['--arrival-rate', '250', '--settle', '5']);
  assert.equal(set.arrivalRate, 250);
  assert.equal(set.settleSeconds, 5);
  assert.throws(() => parseFlags(['--arrival-rate', '0']), /--arrival-rate must be a number/);
  assert.throws(() => parseFlags(['--settle=-1']), /--settle must be a number/);
});
