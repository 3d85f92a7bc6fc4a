import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { stateStoreContract } from './contracts/state-store.contract.js';
import { StoreVersionError } from './errors.js';
import { openRedisStateStore } from './open-state-store.js';
import { LIBRARY_SOURCE, LIBRARY_VERSION } from './redis/library.js';
import { startRedisCluster, type ClusterFixture } from './testing/redis-cluster.js';

// The same contract, against a three-master Redis Cluster: every function's keys share the
// prefix's hash tag, so they land in one slot and no call fails with CROSSSLOT.
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

it('the library is loaded on every master, and again on a master that lost it', async () => {
  const client = cluster.client();
  assert.ok(client instanceof Cluster);
  const store = openRedisStateStore(client, {
    prefix: `test:${randomBytes(6).toString('hex')}:{lib}:`,
  });
  try {
    await store.ping();
    const masters = client.nodes('master');
    assert.equal(masters.length, 3);
    for (const node of masters)
      assert.equal(Number(await node.fcall('version', 0)), LIBRARY_VERSION);
    // A flush of functions (or a node replaced without them) is met by loading them again.
    for (const node of masters) await node.function('FLUSH');
    const started = await store.pairing.start({ chatId: 7, stamp: null, langHint: 'en' });
    assert.equal(started.kind, 'onboarding');
    for (const node of masters)
      assert.equal(Number(await node.fcall('version', 0)), LIBRARY_VERSION);
  } finally {
    await store.close();
  }
});

it('a worker refuses a newer library, and an older worker is refused by it', async () => {
  const client = cluster.client();
  assert.ok(client instanceof Cluster);
  const prefix = `test:${randomBytes(6).toString('hex')}:{lib}:`;
  const newer = LIBRARY_SOURCE.replace(
    /^local VERSION = \d+$/m,
    `local VERSION = ${LIBRARY_VERSION + 1}`,
  );
  const store = openRedisStateStore(client, { prefix });
  try {
    await store.ping();
    // A newer deploy replaces the library while this worker runs: its calls are refused, and
    // nothing it asked for happens.
    for (const node of client.nodes('master')) await node.function('LOAD', 'REPLACE', newer);
    await assert.rejects(
      store.pairing.start({ chatId: 8, stamp: null, langHint: 'en' }),
      (err: Error) => err instanceof StoreVersionError,
    );
    assert.equal(await client.exists(`${prefix}u:8`), 0);
    // A worker starting now finds the newer library and refuses to replace it.
    const late = openRedisStateStore(cluster.client(), { prefix });
    try {
      await assert.rejects(late.ping(), (err: Error) => err instanceof StoreVersionError);
      for (const node of client.nodes('master')) {
        assert.equal(Number(await node.fcall('version', 0)), LIBRARY_VERSION + 1);
      }
    } finally {
      await late.close();
    }
  } finally {
    for (const node of client.nodes('master'))
      await node.function('LOAD', 'REPLACE', LIBRARY_SOURCE);
    await store.close();
  }
});
