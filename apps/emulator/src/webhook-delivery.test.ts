import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import type { WebhookInfo } from '@hamdam/telegram';
import type { EmulatorStats } from './stats.js';
import { useEmulator, useReceiver } from './testing/fixtures.js';
import { delay, startReceiver, waitFor } from './testing/harness.js';

describe('webhook delivery', () => {
  const emu = useEmulator();
  const hook = useReceiver();

  const texts = (): (string | undefined)[] =>
    hook.requests.map((request) => request.update.message?.text);

  it('posts updates with the secret token header and reports webhook info', async () => {
    const set = await emu.api<boolean>('setWebhook', {
      url: hook.url,
      secret_token: 'S3cret_-x',
      max_connections: 5,
    });
    assert.equal(set.body.result, true);
    assert.equal(set.body.description, 'Webhook was set');
    const again = await emu.api<boolean>('setWebhook', {
      url: hook.url,
      secret_token: 'S3cret_-x',
      max_connections: 5,
    });
    assert.equal(again.body.description, 'Webhook is already set');
    const user = await emu.createUser();
    const { update_id } = await emu.say(user.id, { text: 'hello' });
    await waitFor(() => hook.requests.length === 1);
    const [request] = hook.requests;
    assert.equal(request?.headers['x-telegram-bot-api-secret-token'], 'S3cret_-x');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.update.update_id, update_id);
    assert.equal(request?.update.message?.text, 'hello');
    assert.equal(request?.update.message?.chat.id, user.id);
    await waitFor(
      async () =>
        (await emu.api<WebhookInfo>('getWebhookInfo')).body.result.pending_update_count === 0,
    );
    const info = await emu.api<WebhookInfo>('getWebhookInfo');
    assert.equal(info.body.result.url, hook.url);
    assert.equal(info.body.result.max_connections, 5);
    const stats = await emu.control<EmulatorStats>('GET', '/stats');
    assert.equal(stats.body.updates_delivered, 1);
  });

  it("holds a chat's next update until the previous one got a 2xx, while other chats proceed", async () => {
    const held: ServerResponse[] = [];
    hook.handler = (request, res) => {
      if (request.update.message?.text === 'a1') held.push(res);
      else res.end();
    };
    await emu.api('setWebhook', { url: hook.url });
    const a = await emu.createUser();
    const b = await emu.createUser();
    await emu.say(a.id, { text: 'a1' });
    await emu.say(a.id, { text: 'a2' });
    await emu.say(b.id, { text: 'b1' });
    await waitFor(() => texts().includes('b1') && held.length === 1);
    await delay(60);
    assert.deepEqual(texts().sort(), ['a1', 'b1'], 'a2 must wait for a1');
    const releasedAt = Date.now();
    held[0]?.end();
    await waitFor(() => texts().includes('a2'));
    const a2 = hook.requests.find((request) => request.update.message?.text === 'a2');
    assert.ok(a2 !== undefined && a2.at >= releasedAt);
  });

  it('retries a failed update (at once, then with backoff) and keeps the chat in order', async () => {
    let failuresLeft = 2;
    hook.handler = (request, res) => {
      if (request.update.message?.text === 'first' && failuresLeft > 0) {
        failuresLeft--;
        res.statusCode = 500;
      }
      res.end();
    };
    await emu.api('setWebhook', { url: hook.url });
    const user = await emu.createUser();
    await emu.say(user.id, { text: 'first' });
    await emu.say(user.id, { text: 'second' });
    await waitFor(() => texts().includes('second'));
    assert.deepEqual(texts(), ['first', 'first', 'first', 'second']);
    const [, retry1, retry2] = hook.requests;
    assert.ok(retry1 !== undefined && retry2 !== undefined);
    assert.ok(retry2.at - retry1.at >= 30, 'second retry waits retryBaseMs * 2');
    const stats = await emu.control<EmulatorStats>('GET', '/stats');
    assert.equal(stats.body.delivery_failures, 2);
    assert.equal(stats.body.delivery_attempts, 4);
    assert.equal(stats.body.updates_delivered, 2);
    const info = await emu.api<WebhookInfo>('getWebhookInfo');
    assert.equal(
      info.body.result.last_error_message,
      'Wrong response from the webhook: 500 Internal Server Error',
    );
    assert.equal(typeof info.body.result.last_error_date, 'number');
  });

  it('honours a Retry-After header from the webhook', async () => {
    let first = true;
    hook.handler = (_request, res) => {
      if (first) {
        first = false;
        res.writeHead(429, { 'retry-after': '1' });
      }
      res.end();
    };
    await emu.api('setWebhook', { url: hook.url });
    const user = await emu.createUser();
    await emu.say(user.id, { text: 'later' });
    await waitFor(() => hook.requests.length === 2, 3_000);
    const [one, two] = hook.requests;
    assert.ok(one !== undefined && two !== undefined);
    assert.ok(two.at - one.at >= 950, `retried after ${two.at - one.at} ms`);
  });

  it('never has more than max_connections requests in flight', async () => {
    let active = 0;
    let peak = 0;
    hook.handler = async (_request, res) => {
      active++;
      peak = Math.max(peak, active);
      await delay(15);
      active--;
      res.end();
    };
    await emu.api('setWebhook', { url: hook.url, max_connections: 3 });
    const users = await Promise.all(Array.from({ length: 12 }, () => emu.createUser()));
    await emu.control('POST', '/updates', {
      updates: users.flatMap((user) => [
        { user_id: user.id, kind: 'message', text: 'x' },
        { user_id: user.id, kind: 'message', text: 'y' },
      ]),
    });
    await waitFor(
      async () => (await emu.control<EmulatorStats>('GET', '/stats')).body.updates_delivered === 24,
      5_000,
    );
    assert.equal(hook.requests.length, 24);
    assert.equal(peak, 3);
    const stats = await emu.control<EmulatorStats>('GET', '/stats');
    assert.equal(stats.body.max_in_flight_seen, 3);
    assert.equal(stats.body.in_flight, 0);
    assert.equal(stats.body.pending, 0);
  });

  it('delivers callback queries and my_chat_member in their own queues', async () => {
    const held: ServerResponse[] = [];
    hook.handler = (request, res) => {
      if (request.update.message !== undefined) held.push(res);
      else res.end();
    };
    await emu.api('setWebhook', { url: hook.url });
    const user = await emu.createUser();
    const sent = await emu.api('sendMessage', {
      chat_id: user.id,
      text: 'menu',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await emu.say(user.id, { text: 'stuck' });
    await emu.control('POST', `/users/${user.id}/callbacks`, {
      message_id: sent.body.result.message_id,
      data: 'a',
    });
    await emu.control('POST', `/users/${user.id}/block`, { blocked: true });
    await waitFor(() => hook.requests.length === 3);
    const callback = hook.requests.find((request) => request.update.callback_query !== undefined);
    assert.equal(callback?.update.callback_query?.data, 'a');
    const member = hook.requests.find((request) => request.update.my_chat_member !== undefined);
    assert.equal(member?.update.my_chat_member?.new_chat_member.status, 'kicked');
    for (const res of held) res.end();
  });

  it('keeps retrying when the webhook is unreachable and reports the error', async () => {
    const dead = await startReceiver();
    const deadUrl = dead.url;
    await dead.close();
    await emu.api('setWebhook', { url: deadUrl });
    const user = await emu.createUser();
    await emu.say(user.id, { text: 'lost?' });
    await waitFor(
      async () => (await emu.control<EmulatorStats>('GET', '/stats')).body.delivery_failures >= 2,
    );
    const info = await emu.api<WebhookInfo>('getWebhookInfo');
    assert.equal(info.body.result.last_error_message, 'Connection refused');
    assert.equal(info.body.result.pending_update_count, 1);
    // Pointing the webhook somewhere reachable delivers the backlog.
    await emu.api('setWebhook', { url: hook.url });
    await waitFor(() => texts().includes('lost?'));
  });

  it('stops delivering on deleteWebhook and can drop pending updates', async () => {
    await emu.api('setWebhook', { url: hook.url });
    const removed = await emu.api<boolean>('deleteWebhook', {});
    assert.equal(removed.body.description, 'Webhook was deleted');
    const user = await emu.createUser();
    await emu.say(user.id, { text: 'queued' });
    await delay(30);
    assert.equal(hook.requests.length, 0);
    await emu.api('setWebhook', { url: hook.url, drop_pending_updates: true });
    await emu.say(user.id, { text: 'fresh' });
    await waitFor(() => hook.requests.length === 1);
    await delay(30);
    assert.deepEqual(texts(), ['fresh']);
  });

  it('validates setWebhook parameters', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'not a url' }, 'Bad Request: bad webhook: Wrong HTTP URL specified'],
      [{ url: 'ftp://127.0.0.1/x' }, 'Bad Request: bad webhook: Wrong HTTP URL specified'],
      [
        { url: hook.url, secret_token: 'has space' },
        'Bad Request: secret token contains unallowed characters',
      ],
      [{ url: hook.url, secret_token: 'x'.repeat(257) }, 'Bad Request: secret token is too long'],
      [
        { url: hook.url, max_connections: 0 },
        'Bad Request: max_connections must be between 1 and 100',
      ],
      [
        { url: hook.url, max_connections: 101 },
        'Bad Request: max_connections must be between 1 and 100',
      ],
      [
        { url: hook.url, allowed_updates: 'message' },
        "Bad Request: can't parse allowed_updates JSON array",
      ],
    ];
    for (const [params, description] of cases) {
      const res = await emu.api('setWebhook', params);
      assert.deepEqual(
        res.body,
        { ok: false, error_code: 400, description },
        JSON.stringify(params),
      );
    }
  });

  it('only delivers the update types in allowed_updates', async () => {
    await emu.api('setWebhook', { url: hook.url, allowed_updates: ['callback_query'] });
    const user = await emu.createUser();
    const sent = await emu.api('sendMessage', {
      chat_id: user.id,
      text: 'menu',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await emu.say(user.id, { text: 'ignored' });
    await emu.control('POST', `/users/${user.id}/callbacks`, {
      message_id: sent.body.result.message_id,
      data: 'a',
    });
    await waitFor(() => hook.requests.length === 1);
    await delay(30);
    assert.equal(hook.requests.length, 1);
    assert.ok(hook.requests[0]?.update.callback_query !== undefined);
    const info = await emu.api<WebhookInfo>('getWebhookInfo');
    assert.deepEqual(info.body.result.allowed_updates, ['callback_query']);
  });
});
