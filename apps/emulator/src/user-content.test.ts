import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { EmulatorStats } from './stats.js';
import { useEmulator } from './testing/fixtures.js';
import type { AnyLogEntry, AnyUpdate } from './testing/harness.js';

describe('control API: what users send, edit and change', () => {
  const emu = useEmulator();
  let alice: number;
  let bob: number;

  beforeEach(async () => {
    alice = (await emu.createUser({ first_name: 'Alice', language_code: 'en' })).id;
    bob = (await emu.createUser({ first_name: 'Bob' })).id;
  });

  const updates = async (): Promise<AnyUpdate[]> =>
    (await emu.api<AnyUpdate[]>('getUpdates')).body.result;
  const chat = async (id: number): Promise<AnyLogEntry[]> =>
    (await emu.control<{ messages: AnyLogEntry[] }>('GET', `/users/${id}/chat`)).body.messages;
  const injected = async (): Promise<number> =>
    (await emu.control<EmulatorStats>('GET', '/stats')).body.updates_injected;

  /** Sends a bad request and checks it is refused with 400 and leaves no trace. */
  async function refused(path: string, body: unknown, reason: RegExp): Promise<void> {
    const before = { updates: await injected(), log: (await chat(alice)).length };
    const res = await emu.control<{ error: string }>('POST', path, body);
    assert.equal(res.status, 400, `${JSON.stringify(body)} answered ${res.status}`);
    assert.match(res.body.error, reason);
    assert.equal(await injected(), before.updates, 'no update was injected');
    assert.equal((await chat(alice)).length, before.log, 'the chat did not change');
  }

  it('edits a text message: edited_message with the same id and an edit_date', async () => {
    const sent = await emu.say(alice, { text: 'helo' });
    const res = await emu.control<{ update_id: number; message_id: number }>(
      'POST',
      `/users/${alice}/edits`,
      { message_id: sent.message_id, text: 'hello' },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.message_id, sent.message_id);
    const edit = (await updates()).find((u) => u.update_id === res.body.update_id);
    assert.equal(edit?.edited_message?.message_id, sent.message_id);
    assert.equal(edit?.edited_message?.text, 'hello');
    assert.equal(typeof edit?.edited_message?.edit_date, 'number');
    const [entry] = await chat(alice);
    assert.equal(entry?.message.text, 'hello');
    assert.equal(entry?.edit_date, entry?.message.edit_date);
    assert.equal(entry?.content, 'text');
  });

  it('edits and removes a caption', async () => {
    const sent = await emu.say(alice, { photo: true, caption: 'old' });
    await emu.control('POST', `/users/${alice}/edits`, {
      message_id: sent.message_id,
      caption: 'new',
    });
    assert.equal((await chat(alice))[0]?.message.caption, 'new');
    await emu.control('POST', `/users/${alice}/edits`, {
      message_id: sent.message_id,
      caption: '',
    });
    const [entry] = await chat(alice);
    assert.equal(entry?.message.caption, undefined);
    assert.equal(entry?.message.photo?.length, 3, 'the photo stays');
    const edits = (await updates()).filter((u) => u.edited_message !== undefined);
    assert.deepEqual(
      edits.map((u) => u.edited_message?.caption ?? null),
      ['new', null],
    );
  });

  it('refuses edits that Telegram would not make, changing nothing', async () => {
    const text = await emu.say(alice, { text: 'same' });
    const photo = await emu.say(alice, { photo: true });
    const sticker = await emu.say(alice, { sticker: true });
    const bot = await emu.api('sendMessage', { chat_id: alice, text: 'from the bot' });
    const edits = `/users/${alice}/edits`;
    await refused(edits, { message_id: text.message_id, text: 'same' }, /not modified/);
    await refused(edits, { message_id: text.message_id, caption: 'x' }, /cannot have a caption/);
    await refused(edits, { message_id: photo.message_id, text: 'x' }, /no text/);
    await refused(edits, { message_id: sticker.message_id, caption: 'x' }, /cannot have a caption/);
    await refused(edits, { message_id: bot.body.result.message_id, text: 'x' }, /this user sent/);
    await refused(edits, { message_id: 999, text: 'x' }, /this user sent/);
    await refused(edits, { message_id: text.message_id }, /exactly one of text, caption/);
    await refused(edits, { message_id: text.message_id, text: 'x', colour: 1 }, /unknown field/);
  });

  it('sends an album as consecutive messages sharing one media_group_id', async () => {
    const res = await emu.control<{
      media_group_id: string;
      results: { update_id: number; message_id: number }[];
    }>('POST', `/users/${alice}/albums`, {
      items: [{ photo: true, caption: 'trip' }, { video: true }, { photo: true }],
    });
    assert.equal(res.status, 200);
    const ids = res.body.results.map((r) => r.message_id);
    assert.deepEqual(ids, [ids[0], (ids[0] ?? 0) + 1, (ids[0] ?? 0) + 2]);
    const messages = (await updates()).map((u) => u.message);
    assert.deepEqual(
      messages.map((m) => m?.media_group_id),
      [res.body.media_group_id, res.body.media_group_id, res.body.media_group_id],
    );
    assert.deepEqual(
      (await chat(alice)).map((e) => e.content),
      ['photo', 'video', 'photo'],
    );
    assert.equal(messages[0]?.caption, 'trip');
    assert.notEqual(
      messages[0]?.photo?.[0]?.file_id,
      messages[2]?.photo?.[0]?.file_id,
      'each photo is its own file',
    );
  });

  it('refuses albums Telegram would refuse', async () => {
    const albums = `/users/${alice}/albums`;
    await refused(albums, { items: [{ photo: true }] }, /2-10/);
    await refused(albums, { items: Array(11).fill({ photo: true }) }, /2-10/);
    await refused(albums, { items: [{ photo: true }, { audio: true }] }, /mixes photos and videos/);
    await refused(albums, { items: [{ photo: true }, { sticker: true }] }, /unknown field/);
    await refused(
      albums,
      { items: [{ photo: true }, { photo: true }], reply_to_message_id: 77 },
      /not a message in this chat/,
    );
  });

  it('sends contacts, locations, animations, audio, video notes, polls and dice', async () => {
    await emu.say(alice, { contact: true });
    await emu.say(alice, { contact: { phone_number: '+98 21 5555 0101', first_name: 'Office' } });
    await emu.say(alice, { location: { latitude: 29.6, longitude: 52.5 } });
    await emu.say(alice, { animation: true, caption: 'gif' });
    await emu.say(alice, { audio: true });
    await emu.say(alice, { video_note: true });
    await emu.say(alice, { poll: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] } });
    await emu.say(alice, { dice: { emoji: '🎯', value: 6 } });
    const log = await chat(alice);
    assert.deepEqual(
      log.map((e) => e.content),
      ['contact', 'contact', 'location', 'animation', 'audio', 'video_note', 'poll', 'dice'],
    );
    const [own, other, place, gif, tune, note, poll, dice] = log.map((e) => e.message);
    assert.equal(own?.contact?.user_id, alice, 'sharing one’s own contact reveals the id');
    assert.equal(own?.contact?.first_name, 'Alice');
    assert.equal(other?.contact?.user_id, undefined);
    assert.deepEqual(place?.location, { latitude: 29.6, longitude: 52.5 });
    assert.equal(
      gif?.animation?.file_id,
      gif?.document?.file_id,
      'an animation is also a document',
    );
    assert.equal(gif?.caption, 'gif');
    assert.equal(typeof tune?.audio?.duration, 'number');
    assert.equal(typeof note?.video_note?.length, 'number');
    assert.deepEqual(
      poll?.poll?.options.map((o) => o.text),
      ['Tea', 'Coffee'],
    );
    assert.deepEqual(dice?.dice, { emoji: '🎯', value: 6 });
  });

  it('sends forwarded messages with forward_origin', async () => {
    await emu.say(alice, { text: 'fwd', forward_origin: { type: 'user', user_id: bob } });
    await emu.say(alice, {
      photo: true,
      forward_origin: { type: 'hidden_user', sender_user_name: 'Someone' },
    });
    await emu.say(alice, {
      text: 'news',
      forward_origin: { type: 'channel', title: 'Daily', message_id: 42 },
    });
    const [user, hidden, channel] = (await updates()).map((u) => u.message?.forward_origin);
    assert.equal(user?.type, 'user');
    assert.equal(user?.type === 'user' ? user.sender_user.id : 0, bob);
    assert.deepEqual(hidden?.type === 'hidden_user' ? hidden.sender_user_name : '', 'Someone');
    assert.equal(channel?.type === 'channel' ? channel.message_id : 0, 42);
    await refused(
      `/users/${alice}/messages`,
      { text: 'x', forward_origin: { type: 'user', user_id: 5 } },
      /not a known user/,
    );
    await refused(
      `/users/${alice}/messages`,
      { text: 'x', forward_origin: { type: 'group' } },
      /type must be/,
    );
  });

  it('refuses malformed content, changing nothing', async () => {
    const messages = `/users/${alice}/messages`;
    await refused(messages, { text: 'a', photo: true }, /exactly one/);
    await refused(
      messages,
      { contact: { phone_number: 'call me', first_name: 'X' } },
      /phone_number/,
    );
    await refused(messages, { location: { latitude: 95, longitude: 0 } }, /latitude/);
    await refused(messages, { poll: { question: 'Q?', options: ['only one'] } }, /options/);
    await refused(messages, { dice: { emoji: '🎲', value: 7 } }, /value/);
    await refused(messages, { dice: { emoji: '🍕' } }, /emoji/);
    await refused(
      messages,
      { audio: true, media_group_id: 'g', caption: 'c', extra: 1 },
      /unknown field/,
    );
    await refused(messages, { location: true, caption: 'here' }, /caption is only allowed/);
  });

  it('renames a user and changes their language; later messages carry it', async () => {
    const first = await emu.say(alice, { text: 'before' });
    const res = await emu.control<{ user: { first_name: string; language_code?: string } }>(
      'PATCH',
      `/users/${alice}`,
      { first_name: 'Leila', language_code: 'fa' },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.user, {
      id: alice,
      is_bot: false,
      first_name: 'Leila',
      language_code: 'fa',
    });
    await emu.say(alice, { text: 'after' });
    const [before, after] = (await updates()).map((u) => u.message);
    assert.equal(before?.message_id, first.message_id);
    assert.equal(before?.from.first_name, 'Alice', 'a sent message keeps the old name');
    assert.equal(after?.from.first_name, 'Leila');
    assert.equal(after?.from.language_code, 'fa');
    assert.equal(after?.chat.type === 'private' ? after.chat.first_name : '', 'Leila');
    await emu.control('PATCH', `/users/${alice}`, { language_code: null });
    const user = await emu.control<{ user: { language_code?: string } }>('GET', `/users/${alice}`);
    assert.equal(user.body.user.language_code, undefined);
  });

  it('refuses bad user changes, changing nothing', async () => {
    for (const body of [{}, { first_name: ' ' }, { language_code: 'Persian' }, { nick: 'x' }]) {
      const res = await emu.control('PATCH', `/users/${alice}`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    assert.equal((await emu.control('PATCH', '/users/42', { first_name: 'X' })).status, 404);
    const user = await emu.control<{ user: unknown }>('GET', `/users/${alice}`);
    assert.deepEqual(user.body.user, {
      id: alice,
      is_bot: false,
      first_name: 'Alice',
      language_code: 'en',
    });
  });

  it('deletes a user: gone from the list, and the bot gets 403 "user is deactivated"', async () => {
    const res = await emu.control('DELETE', `/users/${alice}`);
    assert.equal(res.status, 200);
    assert.equal((await emu.control('GET', `/users/${alice}`)).status, 404);
    const list = await emu.control<{ id: number }[]>('GET', '/users');
    assert.deepEqual(
      list.body.map((u) => u.id),
      [bob],
    );
    const send = await emu.api('sendMessage', { chat_id: alice, text: 'hi' });
    assert.equal(send.status, 403);
    assert.equal(send.body.description, 'Forbidden: user is deactivated');
    assert.equal((await emu.api('sendMessage', { chat_id: 12345, text: 'hi' })).status, 400);
    assert.equal((await emu.control('DELETE', `/users/${alice}`)).status, 404);
  });
});
