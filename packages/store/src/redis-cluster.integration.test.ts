import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { stateStoreContract } from './contracts/state-store.contract.js';
import { openRedisStateStore } from './open-state-store.js';
import { startRedisCluster, type ClusterFixture } from './testing/redis-cluster.js';

// The same contract, against a three-master Redis Cluster: every script's keys share the
// prefix's hash tag, so they land in one slot and no script fails with CROSSSLOT.
let cluster: ClusterFixture;
before(async () => {
  cluster = await startRedisCluster();
});
after(async () => {
  await cluster.stop();
});

stateStoreContract('Redis Cluster', async (limits) =>
  openRedisStateStore(cluster.client(), {
    prefix: `test:${randomBytes(6).toString('hex')}:{h}:`,
    limits: limits ?? {},
  }),
);

it('the cluster really has three masters, and every node wants the password', async () => {
  const client = cluster.client();
  assert.ok(client instanceof Cluster);
  try {
    await client.ping();
    assert.equal(client.nodes('master').length, 3);
    // A key on each master: the client reached every discovered node with the URL's password.
    for (const tag of ['a', 'b', 'c', 'd', 'e', 'f']) await client.set(`test:{${tag}}:auth`, '1');
  } finally {
    await client.quit();
  }
  const bare = new Cluster(cluster.nodes, { clusterRetryStrategy: () => null });
  bare.on('error', () => undefined);
  try {
    await assert.rejects(bare.set('test:{a}:auth', '1'));
  } finally {
    bare.disconnect();
  }
});
