import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import type { WebhookInfo } from '@hamdam/telegram';
import { useEmulator, useReceiver } from './testing/fixtures.js';
import { waitFor } from './testing/harness.js';

describe('webhook timeout', () => {
  const emu = useEmulator({ webhookTimeoutMs: 80 });
  const hook = useReceiver();
  const stalled: ServerResponse[] = [];
  after(() => {
    for (const res of stalled) res.destroy();
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
    // The first delivery was never answered: the resend came from the emulator giving up on it,
    // which getWebhookInfo names. (How long it waited is not asserted: on a busy machine the
    // receiver stamps a request late.)
    assert.equal(stalled.length, 1);
    const info = await emu.api<WebhookInfo>('getWebhookInfo');
    assert.equal(info.body.result.last_error_message, 'Read timeout expired');
    await waitFor(
      async () =>
        (await emu.api<WebhookInfo>('getWebhookInfo')).body.result.pending_update_count === 0,
    );
  });
});
