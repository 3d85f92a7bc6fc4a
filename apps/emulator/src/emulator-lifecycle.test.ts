import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEmulator } from './emulator.js';

describe('emulator lifecycle', () => {
  it('validates its options', () => {
    assert.throws(() => createEmulator({ token: '' }), TypeError);
    assert.throws(() => createEmulator({ token: 'has/slash' }), TypeError);
    assert.throws(() => createEmulator({ token: 't', port: 70_000 }), RangeError);
    assert.throws(() => createEmulator({ token: 't', retryBaseMs: -1 }), RangeError);
    assert.throws(() => createEmulator({ token: 't', webhookTimeoutMs: 0 }), RangeError);
    assert.throws(() => createEmulator({ token: 't', botName: ' ' }), TypeError);
  });

  it('names the bot after botName in getMe and the playground, hamdam by default', async () => {
    for (const [options, name, username] of [
      [{}, 'hamdam', 'hamdam_bot'],
      [{ botName: 'Echo Test' }, 'Echo Test', 'echo_test_bot'],
    ] as const) {
      const emulator = createEmulator({ token: '1:x', ...options });
      const url = await emulator.listen();
      try {
        const me = (await (await fetch(`${url}/bot1:x/getMe`)).json()) as {
          result: { first_name: string; username: string };
        };
        assert.equal(me.result.first_name, name);
        assert.equal(me.result.username, username);
        assert.match(await (await fetch(`${url}/`)).text(), new RegExp(`<h1>${name}</h1>`));
      } finally {
        await emulator.close();
      }
    }
  });

  it('exposes its url only while listening and closes idempotently', async () => {
    const emulator = createEmulator({ token: '1:x' });
    assert.throws(() => emulator.url, /not listening/);
    const url = await emulator.listen();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emulator.url, url);
    assert.equal(await emulator.listen(), url);
    const stream = await fetch(`${url}/control/stream`);
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const poll = fetch(`${url}/bot1:x/getUpdates?timeout=30`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await Promise.all([emulator.close(), emulator.close()]);
    assert.ok(Date.now() - started < 2_000, 'open streams and long polls do not hold up close()');
    await poll.then(
      (res) => res.body?.cancel(),
      () => undefined,
    );
    await stream.body?.cancel().catch(() => undefined);
    await assert.rejects(emulator.listen(), /closed/);
  });

  it('closes cleanly without ever listening', async () => {
    await createEmulator({ token: '1:x' }).close();
  });
});
