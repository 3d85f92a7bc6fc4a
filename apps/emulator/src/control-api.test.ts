import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { User } from '@hamdam/telegram';
import type { EmulatorStats } from './stats.js';
import { useEmulator } from './testing/fixtures.js';
import type { AnyLogEntry, AnyMessage as Message, AnyUpdate as Update } from './testing/harness.js';

describe('control API', () => {
  const emu = useEmulator();

  const updates = async (): Promise<Update[]> =>
    (await emu.api<Update[]>('getUpdates')).body.result;

  it('creates and lists users with increasing ids and validates fields', async () => {
    const ann = await emu.control<User>('POST', '/users', {
      first_name: 'Ann',
      username: 'ann_test',
      language_code: 'en',
    });
    assert.equal(ann.status, 200);
    assert.equal(ann.body.is_bot, false);
    assert.equal(ann.body.username, 'ann_test');
    const next = await emu.control<User>('POST', '/users', {});
    assert.equal(next.body.id, ann.body.id + 1);
    assert.equal(typeof next.body.first_name, 'string');
    const list = await emu.control<User[]>('GET', '/users');
    assert.deepEqual(
      list.body.map((user) => user.id),
      [ann.body.id, next.body.id],
    );
    const explicit = await emu.control<User>('POST', '/users', { id: 42 });
    assert.equal(explicit.body.id, 42);
    assert.equal((await emu.control('POST', '/users', { id: 42 })).status, 409);
    for (const body of [
      { first_name: '' },
      { username: 'a b' },
      { first_name: 5 },
      { nickname: 'x' },
      [1],
    ]) {
      const res = await emu.control<{ error: string }>('POST', '/users', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.error.length > 0);
    }
    assert.equal((await emu.control('GET', '/users/999/chat')).status, 404);
  });

  it("injects text and media messages shaped like Telegram's", async () => {
    const user = await emu.createUser({ first_name: 'Mia' });
    await emu.say(user.id, { text: 'hi' });
    const photo = await emu.say(user.id, { photo: true, caption: 'pic', media_group_id: 'g1' });
    await emu.say(user.id, { sticker: true });
    await emu.say(user.id, { voice: true });
    await emu.say(user.id, { document: true, reply_to_message_id: 1 });
    assert.equal(photo.message_id, 2);
    const [text, pic, sticker, voice, doc] = (await updates()).map(
      (update) => update.message as Message,
    );
    assert.equal(text?.text, 'hi');
    assert.equal(text?.from.id, user.id);
    assert.equal(text?.chat.type, 'private');
    assert.equal(pic?.caption, 'pic');
    assert.equal(pic?.media_group_id, 'g1');
    assert.equal(pic?.photo?.length, 3);
    assert.match(pic?.photo?.[0]?.file_id ?? '', /^AgAC[A-Za-z0-9_-]{40,}$/);
    assert.notEqual(pic?.photo?.[0]?.file_unique_id, pic?.photo?.[1]?.file_unique_id);
    assert.equal(sticker?.sticker?.type, 'regular');
    assert.equal(voice?.voice?.mime_type, 'audio/ogg');
    assert.equal(doc?.reply_to_message?.text, 'hi');
    for (const body of [
      {},
      { text: 'x', photo: true },
      { sticker: true, caption: 'no' },
      { text: 'x', media_group_id: 'g' },
      { text: '   ' },
      { text: 'x', reply_to_message_id: 99 },
      { text: 'x'.repeat(4097) },
    ]) {
      const res = await emu.control('POST', `/users/${user.id}/messages`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
  });

  it('accepts callbacks only on messages the bot sent to that user', async () => {
    const user = await emu.createUser();
    const other = await emu.createUser();
    const own = await emu.say(user.id, { text: 'mine' });
    const sent = await emu.api('sendMessage', {
      chat_id: user.id,
      text: 'choose',
      reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] },
    });
    const press = await emu.control<{ update_id: number; callback_query_id: string }>(
      'POST',
      `/users/${user.id}/callbacks`,
      {
        message_id: sent.body.result.message_id,
        data: 'yes',
      },
    );
    assert.equal(press.status, 200);
    const callback = (await updates()).find(
      (update) => update.callback_query !== undefined,
    )?.callback_query;
    assert.equal(callback?.id, press.body.callback_query_id);
    assert.equal(callback?.data, 'yes');
    assert.equal(callback?.from.id, user.id);
    assert.equal(callback?.message?.text, 'choose');
    assert.equal(typeof callback?.chat_instance, 'string');
    const onOwn = await emu.control('POST', `/users/${user.id}/callbacks`, {
      message_id: own.message_id,
      data: 'x',
    });
    assert.equal(onOwn.status, 400);
    const otherChat = await emu.control('POST', `/users/${other.id}/callbacks`, {
      message_id: sent.body.result.message_id,
      data: 'x',
    });
    assert.equal(otherChat.status, 400);
    const longData = await emu.control('POST', `/users/${user.id}/callbacks`, {
      message_id: 1,
      data: 'x'.repeat(65),
    });
    assert.equal(longData.status, 400);
  });

  it('injects my_chat_member updates when the user blocks and unblocks', async () => {
    const user = await emu.createUser();
    const blocked = await emu.control<{ blocked: boolean; update_id: number | null }>(
      'POST',
      `/users/${user.id}/block`,
      { blocked: true },
    );
    assert.equal(blocked.body.blocked, true);
    assert.equal(typeof blocked.body.update_id, 'number');
    const unchanged = await emu.control<{ update_id: number | null }>(
      'POST',
      `/users/${user.id}/block`,
      { blocked: true },
    );
    assert.equal(unchanged.body.update_id, null);
    assert.equal(
      (await emu.control('POST', `/users/${user.id}/messages`, { text: 'x' })).status,
      409,
    );
    await emu.control('POST', `/users/${user.id}/block`, { blocked: false });
    const members = (await updates()).map((update) => update.my_chat_member);
    assert.equal(members.length, 2);
    assert.equal(members[0]?.old_chat_member.status, 'member');
    assert.equal(members[0]?.new_chat_member.status, 'kicked');
    assert.equal(members[0]?.new_chat_member.user.is_bot, true);
    assert.equal(members[1]?.new_chat_member.status, 'member');
    assert.equal(
      (await emu.control('POST', `/users/${user.id}/block`, { blocked: 'yes' })).status,
      400,
    );
  });

  it('batch-injects updates atomically', async () => {
    const a = await emu.createUser();
    const b = await emu.createUser();
    const sent = await emu.api('sendMessage', {
      chat_id: b.id,
      text: 'q',
      reply_markup: { inline_keyboard: [[{ text: 'k', callback_data: 'k' }]] },
    });
    const res = await emu.control<{ results: { update_id: number; message_id?: number }[] }>(
      'POST',
      '/updates',
      {
        updates: [
          { user_id: a.id, kind: 'message', text: 'one' },
          { user_id: b.id, kind: 'callback', message_id: sent.body.result.message_id, data: 'k' },
          { user_id: a.id, kind: 'message', photo: true },
        ],
      },
    );
    assert.equal(res.status, 200);
    const [first, second, third] = res.body.results;
    assert.equal(first?.message_id, 1);
    assert.equal(second?.update_id, (first?.update_id ?? 0) + 1);
    assert.equal(third?.message_id, 2);
    const bad = await emu.control<{ error: string }>('POST', '/updates', {
      updates: [
        { user_id: a.id, kind: 'message', text: 'never injected' },
        { user_id: a.id, kind: 'poke' },
      ],
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^updates\[1\]/);
    const missingUser = await emu.control('POST', '/updates', {
      updates: [{ user_id: 5, kind: 'message', text: 'x' }],
    });
    assert.equal(missingUser.status, 404);
    assert.equal((await emu.control('POST', '/updates', { updates: [] })).status, 400);
    const stats = await emu.control<EmulatorStats>('GET', '/stats');
    assert.equal(stats.body.updates_injected, 3);
  });

  it('lists a chat in order with ?after=', async () => {
    const user = await emu.createUser();
    await emu.say(user.id, { text: 'q' });
    await emu.api('sendMessage', {
      chat_id: user.id,
      text: 'a',
      reply_markup: { keyboard: [['x']] },
    });
    const all = await emu.control<{ messages: AnyLogEntry[] }>('GET', `/users/${user.id}/chat`);
    assert.deepEqual(
      all.body.messages.map((entry) => [entry.from_bot, entry.message.text]),
      [
        [false, 'q'],
        [true, 'a'],
      ],
    );
    assert.deepEqual(all.body.messages[1]?.reply_markup, { keyboard: [[{ text: 'x' }]] });
    assert.equal(
      all.body.messages[1]?.message.reply_markup,
      undefined,
      'reply keyboards are not echoed on the message',
    );
    const later = await emu.control<{ messages: AnyLogEntry[] }>(
      'GET',
      `/users/${user.id}/chat?after=${all.body.messages[0]?.seq}`,
    );
    assert.deepEqual(
      later.body.messages.map((entry) => entry.message.text),
      ['a'],
    );
    assert.equal((await emu.control('GET', `/users/${user.id}/chat?after=x`)).status, 400);
  });

  it('reset forgets users, messages, faults and the webhook', async () => {
    const user = await emu.createUser();
    await emu.say(user.id, { text: 'x' });
    await emu.control('POST', '/faults', { count: 5, error_code: 500 });
    await emu.api('setWebhook', { url: 'http://127.0.0.1:9/hook' });
    await emu.control('POST', '/reset');
    assert.deepEqual((await emu.control<User[]>('GET', '/users')).body, []);
    assert.equal((await emu.api('getMe')).status, 200);
    const info = await emu.api<{ url: string; pending_update_count: number }>('getWebhookInfo');
    assert.equal(info.body.result.url, '');
    assert.equal(info.body.result.pending_update_count, 0);
  });
});
