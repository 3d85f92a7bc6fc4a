import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { WebhookInfo } from './emulator-state.js';
import {
  startEmulator,
  startReceiver,
  waitFor,
  type Receiver,
  type TestEmulator,
} from './harness.js';

describe('webhook timeout', () => {
  let emu: TestEmulator;
  let hook: Receiver;
  const stalled: ServerResponse[] = [];

  before(async () => {
    emu = await startEmulator({ webhookTimeoutMs: 80 });
    hook = await startReceiver();
  });
  after(async () => {
    for (const res of stalled) res.destroy();
    await emu.close();
    await hook.close();
  });

  it('gives up on a slow answer after webhookTimeoutMs and resends the update', async () => {
    hook.handler = (_request, res) => {
      if (stalled.length === 0) stalled.push(res);
      else res.end();
    };
    await emu.api('setWebhook', { url: hook.url });
    const user = await emu.createUser();
    const { update_id } = await emu.say(user.id, { text: 'slow' });
    await waitFor(() => hook.requests.length === 2);
    assert.deepEqual(
      hook.requests.map((request) => request.update.update_id),
      [update_id, update_id],
    );
    const [first, second] = hook.requests;
    assert.ok(first !== undefined && second !== undefined && second.at - first.at >= 70);
    const info = await emu.api<WebhookInfo>('getWebhookInfo');
    assert.equal(info.body.result.last_error_message, 'Read timeout expired');
    await waitFor(
      async () =>
        (await emu.api<WebhookInfo>('getWebhookInfo')).body.result.pending_update_count === 0,
    );
  });
});
