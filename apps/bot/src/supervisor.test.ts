import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workerExecArgv } from './supervisor.js';

describe('workerExecArgv', () => {
  it("adds the young-generation size to the supervisor's own flags", () => {
    assert.deepEqual(workerExecArgv(undefined, []), ['--max-semi-space-size=8']);
    assert.deepEqual(workerExecArgv('--enable-source-maps', ['--cpu-prof']), [
      '--cpu-prof',
      '--max-semi-space-size=8',
    ]);
  });

  it("leaves an operator's own setting alone", () => {
    assert.deepEqual(workerExecArgv('--max-semi-space-size=32', []), []);
    assert.deepEqual(workerExecArgv(undefined, ['--max-semi-space-size=4']), [
      '--max-semi-space-size=4',
    ]);
  });
});
