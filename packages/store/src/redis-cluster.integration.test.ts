import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chatStoreContract } from './chat-store.contract.js';
import { startRedisCluster, type ClusterFixture } from './redis-cluster-fixture.js';
import { RedisChatStore } from './redis-chat-store.js';

// The same contract, against a three-master Redis Cluster: every script's keys share the
// prefix's hash tag, so they land in one slot and no script fails with CROSSSLOT.
let cluster: ClusterFixture;
before(async () => {
  cluster = await startRedisCluster();
});
after(async () => {
  await cluster.stop();
});

chatStoreContract('Redis Cluster', (limits) =>
  Promise.resolve(
    new RedisChatStore(cluster.client(), {
      prefix: `test:${randomBytes(6).toString('hex')}:{h}:`,
      limits: limits ?? {},
    }),
  ),
);

it('the cluster really has three masters', async () => {
  const client = cluster.client();
  try {
    const masters = client.nodes('master');
    await client.ping();
    assert.equal(client.nodes('master').length >= masters.length, true);
    assert.equal(client.nodes('master').length, 3);
  } finally {
    await client.quit();
  }
});
