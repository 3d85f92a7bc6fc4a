import assert from 'node:assert/strict';
import { it } from 'node:test';
import RedisMock from 'ioredis-mock';
import { mockModule } from './mock-commands.js';

// The embedded engine reads ioredis-mock's internals (see mock-commands.ts); an upgrade that
// moves them fails here, by name, before any script runs.
it("reaches ioredis-mock's synchronous commands and runs them on a client's data", async () => {
  const { RedisMock: CopiedMock, commands } = mockModule();
  for (const name of ['get', 'set', 'incr', 'hset', 'hgetall', 'hmget', 'zadd', 'rpush', 'llen']) {
    assert.equal(typeof commands[name], 'function', `ioredis-mock has no command "${name}"`);
  }
  assert.equal(typeof CopiedMock, 'function');
  assert.equal(CopiedMock.name, RedisMock.name);

  const mock = new CopiedMock({ host: 'mock-commands-test' });
  assert.equal(commands.set!.call(mock, 'k', 'v'), 'OK');
  assert.equal(commands.incr!.call(mock, 'n'), 1);
  assert.equal(await mock.get('k'), 'v');
  await mock.hset('h', 'a', '1');
  assert.deepEqual(commands.hgetall!.call(mock, 'h'), { a: '1' });
  assert.deepEqual(commands.hmget!.call(mock, 'h', 'a', 'b'), ['1', null]);
  assert.throws(() => commands.decrby!.call(mock, 'n'), /wrong number of arguments/);
});
