import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { t } from '@hamdam/domain';
import { Redis } from 'ioredis';
import { EmulatorClient } from './testing/emulator-client.js';
import { TEST_REDIS_URL } from './testing/stack.js';
import { startTopology, waitUntil, type Topology } from './testing/topology.js';

const FIND = t('en', 'button.find');
const SEARCHING = t('en', 'searching');
const MATCHED = t('en', 'matched');

/**
 * The production shape on loopback: emulator → nginx → two workers under the supervisor →
 * Redis and Postgres. Traffic keeps flowing while a worker is killed, and every message arrives.
 */
describe('scale-out behind nginx', () => {
  let topo: Topology;
  let emulator: EmulatorClient;
  const control = <T>(method: string, path: string, body?: unknown) =>
    emulator.control<T>(method, path, body);
  const user = () => emulator.onboarded();
  const send = (id: number, fields: object) => emulator.send(id, fields);
  const chat = (id: number) => emulator.chat(id);
  const waitText = (id: number, text: string) =>
    waitUntil(
      async () => (await chat(id)).some((e) => e.from_bot && e.message.text === text),
      30_000,
      `${id} never got "${text}"`,
    );

  before(async () => {
    topo = await startTopology({
      workers: 2,
      env: {
        SEND_LEASE_MS: '3000',
        SEND_TIMEOUT_MS: '1000',
        CHAT_RATE_PER_SEC: '50',
        CHAT_BURST: '50',
        // These tests send fast on purpose; flood control is tested elsewhere.
        FLOOD_BURST: '1000',
        FLOOD_PER_MINUTE: '6000',
      },
    });
    emulator = new EmulatorClient(topo.emulatorUrl);
  });
  after(async () => {
    await topo?.close();
  });

  it('exposes only the webhook through nginx, and limits the body there', async () => {
    for (const path of ['/metrics', '/healthz', '/readyz', '/']) {
      assert.equal((await fetch(`${topo.nginxUrl}${path}`)).status, 404, path);
    }
    assert.equal(
      (await fetch(`${topo.workerUrl(0)}/metrics`)).status,
      200,
      'metrics stay on the worker port',
    );
    const big = await fetch(`${topo.nginxUrl}${topo.webhookPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': topo.secret,
      },
      body: `{"update_id":1,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`,
    });
    assert.equal(big.status, 413);
    const wrong = await fetch(`${topo.nginxUrl}${topo.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' },
      body: '{"update_id":1}',
    });
    assert.equal(wrong.status, 401);
  });

  it('keeps relaying every message while a worker is killed and restarted', async () => {
    const pairs: [number, number][] = [];
    for (let i = 0; i < 6; i++) {
      const a = await user();
      const b = await user();
      await send(a, { text: FIND });
      await waitText(a, SEARCHING);
      await send(b, { text: FIND });
      await waitText(b, MATCHED);
      pairs.push([a, b]);
    }
    const victim = await topo.workerPid(0);
    const sent = new Map<string, number>(); // tag → recipient
    const rounds = 20;
    for (let round = 0; round < rounds; round++) {
      if (round === 5) process.kill(victim, 'SIGKILL');
      await Promise.all(
        pairs.map(async ([a, b], i) => {
          const [from, to] = round % 2 === 0 ? [a, b] : [b, a];
          const tag = `m-${i}-${round}`;
          await send(from, { text: tag });
          sent.set(tag, to);
        }),
      );
      await new Promise((r) => setTimeout(r, 30));
    }
    // The supervisor brings the worker back.
    await waitUntil(
      async () => (await topo.workerPid(0).catch(() => victim)) !== victim,
      40_000,
      'worker 0 was not restarted',
    );
    const received = new Map<string, number[]>();
    await waitUntil(
      async () => {
        received.clear();
        for (const [a, b] of pairs) {
          for (const id of [a, b]) {
            for (const e of await chat(id)) {
              const t = e.message.text;
              if (e.from_bot && t?.startsWith('m-'))
                received.set(t, [...(received.get(t) ?? []), id]);
            }
          }
        }
        return received.size === sent.size;
      },
      30_000,
      'not every message arrived',
    );
    // Lost: none. Misrouted: none. Repeated: only a copy the killed worker had already handed
    // to the Bot API but not yet recorded as sent can arrive twice (at least once across a
    // crash); that is at most one per pair, since a chat has one send in flight at a time.
    let repeated = 0;
    for (const [tag, to] of sent) {
      const got = received.get(tag) ?? [];
      assert.ok(
        got.every((id) => id === to),
        `${tag} reached only its partner`,
      );
      assert.ok(got.length >= 1, `${tag} arrived`);
      repeated += got.length - 1;
    }
    assert.ok(repeated <= pairs.length, `${repeated} repeated copies`);
  });

  it('pairs two users pressing Find at the same moment on different workers once', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => user()));
    // Straight to each worker, bypassing nginx, so the two workers really race.
    let updateId = 90_000_000;
    await Promise.all(
      users.map((id, i) =>
        fetch(`${topo.workerUrl(i % 2)}${topo.webhookPath}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': topo.secret,
          },
          body: JSON.stringify({
            update_id: updateId++,
            message: {
              message_id: 10_000 + i,
              date: 0,
              chat: { id, type: 'private' },
              from: { id, is_bot: false, first_name: 'U' },
              text: FIND,
            },
          }),
        }),
      ),
    );
    await waitUntil(
      async () =>
        (await Promise.all(users.map(chat))).every((c) =>
          c.some((e) => e.message.text === MATCHED),
        ),
      30_000,
      'not everyone was matched',
    );
    for (const id of users) {
      const matched = (await chat(id)).filter((e) => e.message.text === MATCHED);
      assert.equal(matched.length, 1, 'matched exactly once');
    }
  });

  it('takes a redelivered update once even when two workers get it at the same moment', async () => {
    const [a, b] = [await user(), await user()];
    await send(a, { text: FIND });
    await waitText(a, SEARCHING);
    await send(b, { text: FIND });
    await waitText(b, MATCHED);
    const original = await send(a, { text: 'dup-check' });
    await waitUntil(
      async () => (await chat(b)).some((e) => e.message.text === 'dup-check'),
      20_000,
      'first copy',
    );
    const body = JSON.stringify({
      update_id: original.update_id,
      message: {
        message_id: original.message_id,
        date: 0,
        chat: { id: a, type: 'private' },
        from: { id: a, is_bot: false, first_name: 'U' },
        text: 'dup-check',
      },
    });
    const replies = await Promise.all(
      [0, 1, 0, 1].map((w) =>
        fetch(`${topo.workerUrl(w)}${topo.webhookPath}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': topo.secret,
          },
          body,
        }),
      ),
    );
    assert.ok(replies.every((r) => r.status === 200));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await chat(b)).filter((e) => e.message.text === 'dup-check').length, 1);
  });

  it('loses nothing when every worker is killed right after answering 2xx', async () => {
    const [a, b] = [await user(), await user()];
    await send(a, { text: FIND });
    await waitText(a, SEARCHING);
    await send(b, { text: FIND });
    await waitText(b, MATCHED);
    // Slow Bot API answers keep the copy unsent (or in flight) when the workers die.
    await control('POST', '/latency', { ms: 600 });
    const pids = [await topo.workerPid(0), await topo.workerPid(1)];
    const before = (await control<{ updates_delivered: number }>('GET', '/stats'))
      .updates_delivered;
    await send(a, { text: 'survives-kill' });
    await waitUntil(
      async () =>
        (await control<{ updates_delivered: number }>('GET', '/stats')).updates_delivered > before,
      5_000,
      'update was not answered',
    );
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await control('POST', '/latency', { ms: 0 });
    await waitUntil(
      async () => (await chat(b)).some((e) => e.from_bot && e.message.text === 'survives-kill'),
      30_000,
      'the committed message was lost with its worker',
    );
    // At least once across a crash: a copy that was in flight may arrive twice, never zero.
    const copies = (await chat(b)).filter((e) => e.from_bot && e.message.text === 'survives-kill');
    assert.ok(copies.length >= 1 && copies.length <= 2);
    // The next tests talk to each worker directly: wait until the supervisor has both back.
    await topo.waitForWorkers(40_000);
  });

  it('a rolling restart (SIGHUP) replaces every worker without losing or repeating a message', async () => {
    const [a, b] = [await user(), await user()];
    await send(a, { text: FIND });
    await waitText(a, SEARCHING);
    await send(b, { text: FIND });
    await waitText(b, MATCHED);
    const before = [await topo.workerPid(0), await topo.workerPid(1)];
    topo.supervisor.kill('SIGHUP');
    const tags: string[] = [];
    const deadline = Date.now() + 30_000;
    // Keep talking until both workers have been replaced.
    for (let i = 0; Date.now() < deadline; i++) {
      const tag = `roll-${i}`;
      await send(a, { text: tag });
      tags.push(tag);
      await new Promise((r) => setTimeout(r, 100));
      const now = await Promise.all([0, 1].map((w) => topo.workerPid(w).catch(() => -1)));
      if (now.every((pid, w) => pid > 0 && pid !== before[w])) break;
    }
    const after = await Promise.all([0, 1].map((w) => topo.workerPid(w)));
    assert.ok(
      after.every((pid, w) => pid !== before[w]),
      'both workers were replaced',
    );
    await waitUntil(
      async () =>
        (await chat(b)).filter((e) => e.from_bot && e.message.text?.startsWith('roll-')).length >=
        tags.length,
      30_000,
      'not every message arrived',
    );
    const got = (await chat(b))
      .filter((e) => e.from_bot && e.message.text?.startsWith('roll-'))
      .map((e) => e.message.text);
    assert.deepEqual(got, tags, 'every message once, in order');
  });

  it('a settings button racing Find on another worker leaves the user queued under the new profile', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const post = (worker: number, update: object) =>
        fetch(`${topo.workerUrl(worker)}${topo.webhookPath}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': topo.secret,
          },
          body: JSON.stringify(update),
        });
      let updateId = 95_000_000;
      for (let round = 0; round < 8; round++) {
        const id = await user();
        await send(id, { text: '/settings' });
        await waitUntil(
          async () => (await chat(id)).some((e) => e.message.text?.startsWith('⚙️')),
          20_000,
          'settings',
        );
        const from = { id, is_bot: false, first_name: 'U' };
        const [pressed, found] = await Promise.all([
          post(round % 2, {
            update_id: updateId++,
            callback_query: {
              id: `race-${round}`,
              from,
              chat_instance: 'x',
              data: round % 3 === 0 ? 's:w:f' : 's:g:f',
              message: { message_id: 1, date: 0, chat: { id, type: 'private' } },
            },
          }),
          post((round + 1) % 2, {
            update_id: updateId++,
            message: {
              message_id: 9_000 + round,
              date: 0,
              chat: { id, type: 'private' },
              from,
              text: '/find',
              entities: [{ type: 'bot_command', offset: 0, length: 5 }],
            },
          }),
        ]);
        assert.equal(pressed.status, 200);
        assert.equal(found.status, 200);
        const [state, gender, wants, queuedIn] = await redis.hmget(
          `${topo.redisPrefix}u:${id}`,
          'state',
          'gender',
          'wants',
          'qb',
        );
        const changed = round % 3 === 0 ? wants === 'f' : gender === 'f';
        assert.ok(changed, `profile applied (${gender}:${wants})`);
        if (state === 'queued') {
          assert.ok(
            queuedIn?.startsWith(`${gender}:${wants}:`),
            `waits in the queue of the profile it has (${queuedIn})`,
          );
          const members = await redis.zrange(`${topo.redisPrefix}q:${queuedIn}`, 0, -1);
          assert.ok(members.includes(String(id)));
        }
        await send(id, { text: '/stop' });
      }
    } finally {
      await redis.quit();
    }
  });
});
