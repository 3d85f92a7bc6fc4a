import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './testing/stack.js';

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
