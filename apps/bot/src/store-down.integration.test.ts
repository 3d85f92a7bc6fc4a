import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairUp } from './chat.suite.js';
import { says, startStack } from './testing/stack.js';

// Redis that does not answer: the update cannot be taken, so the webhook answers 503 and
// Telegram (here the emulator) keeps the update for a later redelivery.
test('an update is answered 503 while Redis is unreachable, and /readyz says so', async () => {
  const stack = await startStack({
    shared: false,
    env: { REDIS_URL: 'redis://127.0.0.1:1', WORKERS: '1' },
  });
  try {
    const response = await fetch(stack.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': stack.config.webhook.secret,
      },
      body: JSON.stringify({
        update_id: 1,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 5, type: 'private' },
          from: { id: 5, is_bot: false, first_name: 'x' },
          text: '/find',
        },
      }),
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    const ready = await fetch(new URL('/readyz', stack.webhookUrl));
    assert.equal(ready.status, 503);
  } finally {
    await stack.close();
  }
});

// Postgres that does not answer is a soft dependency: the worker starts (migrations retried in
// the background), relays on Redis alone, stays ready, and what needs Postgres says so.
test('a worker starts and relays while Postgres is down, and stays ready', async () => {
  const admin = 4545;
  const stack = await startStack({
    shared: true,
    env: { DATABASE_URL: 'postgres://hamdam@127.0.0.1:1/hamdam', ADMIN_IDS: String(admin) },
  });
  try {
    const ready = await fetch(new URL('/readyz', stack.webhookUrl));
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      status: 'ready',
      checks: { redis: 'ok', postgres: 'unreachable' },
    });
    const [a, b] = await pairUp(stack);
    await stack.send(a, { text: 'still here' });
    await stack.waitFor(b, (e) => e.message.text === 'still here');
    await stack.userWithId(admin, 'Admin');
    await stack.onboardUser(admin);
    await stack.send(admin, { text: '/broadcast hello all' });
    await stack.waitFor(admin, says('tryAgainShortly'));
    await stack.send(a, { text: '/stop' });
    await stack.waitFor(b, says('partnerEnded'));
  } finally {
    await stack.close();
  }
});
