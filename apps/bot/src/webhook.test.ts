import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fp from 'fastify-plugin';
import type { Telegraf } from 'telegraf';
import { DatabaseUnavailableError } from '@hamdam/db';
import { StoreScriptError, StoreUnavailableError } from '@hamdam/store';
import { createServer } from './app.js';
import { createLogger } from './logger.js';
import { PLUGINS } from './plugins/decorations.js';
import { metricsPlugin } from './plugins/metrics-plugin.js';
import { UpdateError } from './router.js';
import { healthRoutes } from './routes/health-routes.js';
import { webhookRoute } from './routes/webhook-route.js';

const SECRET = 'test_secret-123';
const update = {
  update_id: 7,
  message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, text: 'x' },
};

function appWith(
  handleUpdate: () => Promise<void>,
  readiness: Record<string, () => Promise<void>> = {},
) {
  let handled = 0;
  // The routes alone, on a router that only calls `handleUpdate`.
  const app = createServer(createLogger('silent'));
  const fakeRouter = fp(
    async (instance) => {
      instance.decorate('router', { handleUpdate } as unknown as Telegraf);
    },
    { name: PLUGINS.router },
  );
  void app
    .register(metricsPlugin)
    .register(fakeRouter)
    .register(webhookRoute, {
      path: '/hook',
      secret: SECRET,
      bodyLimitBytes: 4096,
      onHandled: () => handled++,
    })
    .register(healthRoutes, { readiness });
  const metrics = () => app.metrics;
  const post = (body: unknown, secret: string | null = SECRET) =>
    app.inject({
      method: 'POST',
      url: '/hook',
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { app, post, metrics, handled: () => handled };
}

describe('webhook', () => {
  it('answers 200 and wakes the dispatcher for a handled update', async () => {
    const { post, handled } = appWith(async () => {});
    assert.equal((await post(update)).statusCode, 200);
    assert.equal(handled(), 1);
  });

  it('checks the secret before reading the body', async () => {
    let called = false;
    const { post } = appWith(async () => {
      called = true;
    });
    assert.equal((await post('{broken', null)).statusCode, 401);
    assert.equal(
      (await post('x'.repeat(10_000), 'wrong')).statusCode,
      401,
      'no 413: the body was never read',
    );
    assert.equal(called, false);
  });

  it('answers 200 to a handler error, so the chat is not blocked at Telegram', async () => {
    const { post, handled } = appWith(async () => {
      throw new UpdateError(7, new Error('boom'));
    });
    assert.equal((await post(update)).statusCode, 200);
    assert.equal(handled(), 0);
  });

  it('answers 503 with Retry-After when the state store or the database is unreachable', async () => {
    for (const cause of [new StoreUnavailableError('down'), new DatabaseUnavailableError()]) {
      const { post } = appWith(async () => {
        throw new UpdateError(7, cause);
      });
      const response = await post(update);
      assert.equal(response.statusCode, 503, cause.name);
      assert.equal(response.headers['retry-after'], '5');
    }
  });

  it('answers 200 to a bug (a script error, a constraint violation): a retry would fail again', async () => {
    const constraint = Object.assign(new Error('violates check constraint'), { code: '23514' });
    for (const cause of [new StoreScriptError('ERR user_script:1: oops'), constraint]) {
      const { post, metrics } = appWith(async () => {
        throw new UpdateError(7, cause);
      });
      assert.equal((await post(update)).statusCode, 200);
      const text = await metrics().registry.metrics();
      assert.match(text, /hamdam_updates_total\{type="message",outcome="error"\} 1/);
    }
  });

  it('rejects oversized, malformed and non-update bodies with 4xx', async () => {
    const { post } = appWith(async () => {});
    assert.equal((await post({ update_id: 1, pad: 'x'.repeat(5000) })).statusCode, 413);
    assert.equal((await post('{"update_id":')).statusCode, 400);
    assert.equal((await post({ update_id: -1 })).statusCode, 400);
    assert.equal((await post({ update_id: 1.5 })).statusCode, 400);
    assert.equal(
      (await post({ update_id: 1, message: { message_id: 1, chat: { id: 'x' } } })).statusCode,
      400,
    );
    assert.equal((await post({ update_id: 1, callback_query: { id: 5 } })).statusCode, 400);
    assert.equal(
      (await post({ update_id: 1, poll: { id: 'p' } })).statusCode,
      200,
      'unknown kinds are taken and ignored',
    );
  });

  it('reports readiness per dependency', async () => {
    const { app } = appWith(async () => {}, {
      redis: async () => {},
      postgres: async () => {
        throw new Error('down');
      },
    });
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), {
      status: 'not ready',
      checks: { redis: 'ok', postgres: 'unreachable' },
    });
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });

  it('labels update kinds from a fixed list, however odd the keys that arrive', async () => {
    const { post, metrics } = appWith(async () => {});
    for (let i = 0; i < 50; i++) {
      assert.equal((await post({ update_id: 10 + i, [`odd_kind_${i}`]: {} })).statusCode, 200);
    }
    const text = await metrics().registry.metrics();
    assert.match(text, /hamdam_updates_total\{type="other",outcome="ok"\} 50/);
    assert.doesNotMatch(text, /odd_kind/);
  });

  it('exposes counters on /metrics', async () => {
    const { app, post } = appWith(async () => {});
    await post(update);
    await post(update, 'wrong');
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /hamdam_updates_total\{type="message",outcome="ok"\} 1/);
    assert.match(text, /hamdam_updates_total\{type="other",outcome="unauthorized"\} 1/);
  });
});
