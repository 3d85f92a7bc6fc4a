import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { EmulatorStats } from './stats.js';
import { useEmulator } from './testing/fixtures.js';
import { delay, startReceiver, type AnyUpdate as Update } from './testing/harness.js';

describe('getUpdates', () => {
  const emu = useEmulator();
  let user: number;

  beforeEach(async () => {
    user = (await emu.createUser()).id;
  });

  const poll = (params: Record<string, unknown> = {}) => emu.api<Update[]>('getUpdates', params);

  it('returns pending updates until an offset confirms them', async () => {
    const first = await emu.say(user, { text: 'one' });
    await emu.say(user, { text: 'two' });
    await emu.say(user, { text: 'three' });
    const all = await poll();
    assert.deepEqual(
      all.body.result.map((update) => update.message?.text),
      ['one', 'two', 'three'],
    );
    const ids = all.body.result.map((update) => update.update_id);
    assert.deepEqual(ids, [first.update_id, first.update_id + 1, first.update_id + 2]);
    const limited = await poll({ limit: 2 });
    assert.equal(limited.body.result.length, 2);
    const rest = await poll({ offset: first.update_id + 2 });
    assert.deepEqual(
      rest.body.result.map((update) => update.message?.text),
      ['three'],
    );
    const none = await poll({ offset: first.update_id + 3 });
    assert.deepEqual(none.body.result, []);
    const stats = await emu.control<EmulatorStats>('GET', '/stats');
    assert.equal(stats.body.updates_delivered, 3);
    assert.equal(stats.body.pending, 0);
  });

  it('keeps only the last updates for a negative offset', async () => {
    for (const text of ['a', 'b', 'c']) await emu.say(user, { text });
    const last = await poll({ offset: -1 });
    assert.deepEqual(
      last.body.result.map((update) => update.message?.text),
      ['c'],
    );
    const again = await poll();
    assert.deepEqual(
      again.body.result.map((update) => update.message?.text),
      ['c'],
    );
  });

  it('long polls until an update arrives', async () => {
    const started = Date.now();
    const pending = poll({ timeout: 5 });
    await delay(50);
    await emu.say(user, { text: 'wake up' });
    const res = await pending;
    assert.deepEqual(
      res.body.result.map((update) => update.message?.text),
      ['wake up'],
    );
    assert.ok(Date.now() - started < 2_000);
  });

  it('returns an empty list when a long poll times out', async () => {
    const res = await poll({ timeout: 1 });
    assert.deepEqual(res.body, { ok: true, result: [] });
  });

  it('answers 409 to a long poll superseded by a newer one', async () => {
    const older = poll({ timeout: 5 });
    await delay(30);
    const newer = poll({ timeout: 0 });
    const [olderRes, newerRes] = await Promise.all([older, newer]);
    assert.equal(olderRes.status, 409);
    assert.match(
      olderRes.body.description ?? '',
      /^Conflict: terminated by other getUpdates request/,
    );
    assert.equal(newerRes.status, 200);
  });

  it('refuses getUpdates while a webhook is set and validates its parameters', async () => {
    const hook = await startReceiver();
    try {
      await emu.api('setWebhook', { url: hook.url });
      const res = await poll();
      assert.equal(res.status, 409);
      assert.match(
        res.body.description ?? '',
        /^Conflict: can't use getUpdates method while webhook is active/,
      );
      await emu.api('deleteWebhook');
    } finally {
      await hook.close();
    }
    assert.equal(
      (await poll({ limit: 0 })).body.description,
      'Bad Request: limit must be between 1 and 100',
    );
    assert.equal((await poll({ limit: 101 })).status, 400);
    assert.equal(
      (await poll({ offset: 'abc' })).body.description,
      'Bad Request: invalid offset: expected an integer',
    );
    assert.equal((await poll({ timeout: -1 })).status, 400);
  });
});
