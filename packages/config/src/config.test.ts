import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STORE_LIMITS, STORE_LIMITS, type LimitName } from '@hamdam/store';
import { ConfigError, loadConfig } from './config.js';
import { VARIABLE_NAMES, variableSchema } from './variables.js';

const TOKEN = '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

test('nothing configured is the embedded default', () => {
  const c = loadConfig({});
  assert.equal(c.emulated, true);
  assert.equal(c.emulator.embedded, true);
  assert.equal(loadConfig({ BOT_API_ROOT: 'http://127.0.0.1:9' }).emulator.embedded, false);
  assert.equal(c.redis.url, null);
  assert.equal(c.database.url, null);
  assert.equal(c.workers, 1);
  assert.equal(c.webhook.path, '/telegram/webhook');
  assert.match(c.webhook.secret, /^[A-Za-z0-9_-]{20,}$/);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.webhook));
});

test('the scaled topology reads every value', () => {
  const c = loadConfig({
    BOT_TOKEN: TOKEN,
    WEBHOOK_SECRET: 's3cret_-s3cret_-s3cret',
    REDIS_URL: 'redis://127.0.0.1:6379/',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    WORKERS: '4',
    PG_POOL_BUDGET: '16',
    ADMIN_IDS: '42, 43',
    LOG_LEVEL: 'warn',
    PORT: '4000',
  });
  assert.equal(c.emulated, false);
  assert.equal(c.telegram.token, TOKEN);
  assert.equal(c.redis.url, 'redis://127.0.0.1:6379');
  assert.equal(c.workers, 4);
  assert.deepEqual(c.adminIds, [42, 43]);
  assert.equal(c.http.port, 4000);
});

test('every problem is listed at once, and secrets are never echoed', () => {
  let err: unknown;
  try {
    loadConfig({
      BOT_TOKEN: 'not-a-token-xyz',
      WEBHOOK_SECRET: 'has spaces!',
      PORT: '99999',
      WORKERS: 'many',
      REDIS_URL: 'http://nope',
      LOG_LEVEL: 'loud',
      ADMIN_IDS: '1,x',
      BOT_API_ROOT: 'ftp://x',
    });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigError);
  const problems = err.problems;
  for (const name of [
    'BOT_TOKEN',
    'WEBHOOK_SECRET',
    'PORT',
    'WORKERS',
    'REDIS_URL',
    'LOG_LEVEL',
    'ADMIN_IDS',
    'BOT_API_ROOT',
  ]) {
    assert.ok(
      problems.some((p) => p.startsWith(name)),
      `${name} is reported`,
    );
  }
  const text = (err as Error).message;
  assert.ok(!text.includes('not-a-token-xyz') && !text.includes('has spaces!'));
});

test('a real token needs a webhook secret of its own, never a made-up one', () => {
  assert.throws(() => loadConfig({ BOT_TOKEN: TOKEN }), /WEBHOOK_SECRET is required/);
  // Blank is unset: a random secret here would differ between set-webhook and each worker.
  for (const blank of ['', '   ']) {
    assert.throws(
      () => loadConfig({ BOT_TOKEN: TOKEN, WEBHOOK_SECRET: blank }),
      /WEBHOOK_SECRET is required/,
    );
  }
  let err: unknown;
  try {
    loadConfig({ BOT_TOKEN: TOKEN, WEBHOOK_SECRET: 'fifteen-chars-x' });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigError);
  assert.match(err.message, /WEBHOOK_SECRET .*at least 16 characters/);
  assert.ok(!err.message.includes('fifteen-chars-x'));
  const c = loadConfig({ BOT_TOKEN: TOKEN, WEBHOOK_SECRET: 'sixteen-chars-xy' });
  assert.equal(c.webhook.secret, 'sixteen-chars-xy');
});

test('the Redis URL is a secret: a bad one is never echoed', () => {
  let err: unknown;
  try {
    loadConfig({ REDIS_URL: 'http://user:hunter2-pass@redis.internal:6379' });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigError);
  assert.match(err.message, /REDIS_URL must be a URL/);
  assert.ok(!err.message.includes('hunter2') && !err.message.includes('redis.internal'));
});

test('a send lease too short to renew in time is refused', () => {
  assert.throws(() => loadConfig({ SEND_LEASE_MS: '500' }), /SEND_LEASE_MS/);
  assert.equal(loadConfig({ SEND_LEASE_MS: '6000' }).sending.leaseMs, 6000);
});

test('the rules read their limits, and refuse nonsense', () => {
  const c = loadConfig({ FLOOD_BURST: '4', WIDEN_AFTER_MS: '60000', MIGRATE_ON_START: 'false' });
  assert.equal(c.limits.floodBurst, 4);
  assert.equal(c.limits.widenAfterMs, 60_000);
  assert.equal(c.database.migrateOnStart, false);
  assert.throws(() => loadConfig({ OUTBOX_CAP: '0' }), /OUTBOX_CAP/);
  assert.throws(
    () => loadConfig({ MIGRATE_ON_START: 'yes' }),
    /MIGRATE_ON_START must be one of true, false/,
  );
});

test('the limits come from the store: its defaults, one variable for each limit it bounds', () => {
  const limits: Partial<Record<LimitName, number>> = loadConfig({}).limits;
  const settable = (Object.keys(STORE_LIMITS) as LimitName[]).filter(
    (name) => 'minimum' in STORE_LIMITS[name],
  );
  assert.deepEqual(Object.keys(limits).sort(), [...settable].sort());
  for (const name of settable) assert.equal(limits[name], DEFAULT_STORE_LIMITS[name], name);
  const set = VARIABLE_NAMES.map((name) => variableSchema(name).limit).filter(Boolean);
  assert.equal(new Set(set).size, set.length, 'no limit is set by two variables');
  assert.throws(
    () => loadConfig({ CHAT_RATE_PER_SEC: '0' }),
    /CHAT_RATE_PER_SEC must be a number from 0.01 to 1000/,
  );
  assert.equal(loadConfig({ SEND_RATE_PER_SEC: '2.5' }).limits.globalRatePerSec, 2.5);
});

test('records are kept a number of days, never shorter than reports count', () => {
  assert.equal(loadConfig({}).database.retentionDays, 180);
  assert.equal(loadConfig({ RETENTION_DAYS: '30' }).database.retentionDays, 30);
  assert.throws(() => loadConfig({ RETENTION_DAYS: '0' }), /RETENTION_DAYS/);
  assert.throws(
    () => loadConfig({ RETENTION_DAYS: '2', REPORT_WINDOW_MS: String(3 * 86_400_000) }),
    /RETENTION_DAYS must cover REPORT_WINDOW_MS/,
  );
});

test('several workers need Redis, and Postgres: the embedded stores belong to one process', () => {
  assert.throws(() => loadConfig({ WORKERS: '2' }), /needs REDIS_URL/);
  assert.equal(loadConfig({ WORKERS: '1' }).workers, 1);
  const redis = 'redis://127.0.0.1:6379';
  assert.throws(
    () => loadConfig({ REDIS_URL: redis, WORKERS: '2' }),
    /REDIS_URL with 2 workers needs DATABASE_URL/,
  );
  // The default is one worker per core: without WORKERS the same start is refused on a
  // machine with more than one core, and allowed with one.
  assert.equal(loadConfig({ REDIS_URL: redis, WORKERS: '1' }).workers, 1);
  assert.equal(
    loadConfig({ REDIS_URL: redis, WORKERS: '2', DATABASE_URL: 'postgres://h/db' }).workers,
    2,
  );
});

test("REDIS_URL may name a Redis on this host by its Unix socket, and nothing else's", () => {
  const workers = { WORKERS: '1' };
  assert.equal(
    loadConfig({ ...workers, REDIS_URL: 'unix:///run/redis/redis.sock' }).redis.url,
    'unix:///run/redis/redis.sock',
  );
  assert.equal(
    loadConfig({ ...workers, REDIS_URL: 'unix://hamdam:pw@localhost/run/redis/redis.sock' }).redis
      .url,
    'unix://hamdam:pw@localhost/run/redis/redis.sock',
  );
  for (const bad of ['unix://redis.internal/run/redis.sock', 'unix:///', 'unix://']) {
    assert.throws(
      () => loadConfig({ ...workers, REDIS_URL: bad }),
      /REDIS_URL of a Unix socket must be unix:\/\/\/path/,
      bad,
    );
  }
  assert.throws(
    () =>
      loadConfig({
        ...workers,
        REDIS_URL: 'unix:///run/redis/redis.sock',
        REDIS_CLUSTER_NODES: '10.0.0.1:6379',
      }),
    /REDIS_CLUSTER_NODES needs a redis:\/\/ or rediss:\/\/ REDIS_URL/,
  );
});

test('HTTP_SOCKET_DIR is an absolute path short enough for a socket, or nothing', () => {
  assert.equal(loadConfig({}).http.socketDir, null);
  assert.equal(loadConfig({ HTTP_SOCKET_DIR: '/run/hamdam' }).http.socketDir, '/run/hamdam');
  for (const bad of ['run/hamdam', '/run/ham dam', '/run/x;include /etc', `/${'a'.repeat(81)}`]) {
    assert.throws(
      () => loadConfig({ HTTP_SOCKET_DIR: bad }),
      /HTTP_SOCKET_DIR must be an absolute path of at most 81 characters/,
      bad,
    );
  }
});
