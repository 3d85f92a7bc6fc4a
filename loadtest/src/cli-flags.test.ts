import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from './cli-flags.js';

test('nginx reaches the workers over their ports unless --upstream unix says sockets', () => {
  assert.equal(parseFlags([]).upstream, 'tcp');
  assert.equal(parseFlags(['--upstream', 'unix']).upstream, 'unix');
  assert.throws(() => parseFlags(['--upstream', 'udp']), /--upstream must be tcp or unix/);
});
