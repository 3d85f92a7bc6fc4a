import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOptions, connectRedis, maskRedisUrl } from './connect-redis.js';

test('every cluster node is reached with the URL’s user, password and TLS', () => {
  const secure = clusterOptions('rediss://hamdam:p%40ss%3Aword@redis.internal:6380');
  assert.equal(secure.redisOptions?.username, 'hamdam');
  assert.equal(secure.redisOptions?.password, 'p@ss:word');
  assert.deepEqual(secure.redisOptions?.tls, {});
  assert.equal(secure.redisOptions?.commandTimeout, 2_000);

  const plain = clusterOptions('redis://:only-a-password@redis.internal:6379');
  assert.equal(plain.redisOptions?.username, undefined);
  assert.equal(plain.redisOptions?.password, 'only-a-password');
  assert.equal(plain.redisOptions?.tls, undefined);

  const open = clusterOptions('redis://redis.internal:6379');
  assert.equal(open.redisOptions?.password, undefined);
});

test('a connection error never carries the URL or its password', async () => {
  const url = 'redis://app:s3cr%2Ft@127.0.0.1:1';
  assert.equal(
    maskRedisUrl(`cannot reach ${url} (s3cr/t, s3cr%2Ft)`, url),
    'cannot reach <REDIS_URL> (<redacted>, <redacted>)',
  );
  const told: string[] = [];
  const client = connectRedis({
    url,
    clusterNodes: [],
    onError: (message) => told.push(message),
  });
  try {
    client.emit('error', new Error(`connect failed for ${url}`));
    assert.deepEqual(told.slice(-1), ['connect failed for <REDIS_URL>']);
  } finally {
    client.disconnect();
  }
});
