import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workerExecArgv } from './supervisor.js';

describe('workerExecArgv', () => {
  it("adds the heap settings to the supervisor's own flags", () => {
    const heap = ['--max-semi-space-size=8', '--heap-growing-percent=50'];
    assert.deepEqual(workerExecArgv(undefined, []), heap);
    assert.deepEqual(workerExecArgv('--enable-source-maps', ['--cpu-prof']), [
      '--cpu-prof',
      ...heap,
    ]);
  });

  it("leaves each of an operator's own settings alone", () => {
    assert.deepEqual(workerExecArgv('--max-semi-space-size=32', []), ['--heap-growing-percent=50']);
    assert.deepEqual(workerExecArgv(undefined, ['--max-semi-space-size=4']), [
      '--max-semi-space-size=4',
      '--heap-growing-percent=50',
    ]);
    assert.deepEqual(
      workerExecArgv('--enable-source-maps  --max-semi-space-size=16', [
        '--heap_growing_percent=80',
      ]),
      ['--heap_growing_percent=80'],
    );
  });
});
