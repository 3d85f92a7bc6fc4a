import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { WebhookInfo } from '@hamdam/telegram';
import { useEmulator, useReceiver } from './testing/fixtures.js';
import { waitFor, type AnyLogEntry } from './testing/harness.js';

// What a relay bot does with a conversation: replies, edits, albums, protected copies,
// commands. Each checked against the Bot API's documented behaviour.

describe('Bot API for relaying a whole chat', () => {
  const emu = useEmulator();
  const hook = useReceiver();
  let alice: number;
  let bob: number;

  beforeEach(async () => {
    alice = (await emu.createUser({ first_name: 'Alice' })).id;
    bob = (await emu.createUser({ first_name: 'Bob', language_code: 'fa' })).id;
  });

  const chat = async (id: number): Promise<AnyLogEntry[]> =>
    (await emu.control<{ messages: AnyLogEntry[] }>('GET', `/users/${id}/chat`)).body.messages;

  it('shows reply_parameters as reply_to_message, in sendMessage and copyMessage', async () => {
    const asked = await emu.say(bob, { text: 'how are you?' });
    const sent = await emu.api('sendMessage', {
      chat_id: bob,
      text: 'fine',
      reply_parameters: { message_id: asked.message_id },
    });
    assert.equal(sent.status, 200);
    assert.equal(sent.body.result.reply_to_message?.message_id, asked.message_id);
    assert.equal(sent.body.result.reply_to_message?.text, 'how are you?');
    const answer = await emu.say(alice, { photo: true, caption: 'me' });
    const copy = await emu.api<{ message_id: number }>('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: answer.message_id,
      reply_parameters: JSON.stringify({ message_id: asked.message_id }),
    });
    assert.equal(copy.status, 200);
    const entry = (await chat(bob)).find(
      (e) => e.message.message_id === copy.body.result.message_id,
    );
    assert.equal(entry?.reply_to_message_id, asked.message_id);
    assert.equal(entry?.message.reply_to_message?.text, 'how are you?');
    assert.equal(entry?.message.reply_to_message?.reply_to_message, undefined, 'no nesting');
    assert.equal(entry?.content, 'photo');
  });

  it('fails a reply to a missing message unless allow_sending_without_reply', async () => {
    const before = (await chat(bob)).length;
    const missing = await emu.api('sendMessage', {
      chat_id: bob,
      text: 'x',
      reply_parameters: { message_id: 999 },
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.description, 'Bad Request: message to be replied not found');
    const source = await emu.say(alice, { text: 'relay me' });
    const copy = await emu.api('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: source.message_id,
      reply_parameters: { message_id: 999 },
    });
    assert.equal(copy.body.description, 'Bad Request: message to be replied not found');
    assert.equal((await chat(bob)).length, before, 'nothing was sent');
    const allowed = await emu.api('sendMessage', {
      chat_id: bob,
      text: 'anyway',
      reply_parameters: { message_id: 999, allow_sending_without_reply: true },
    });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body.result.reply_to_message, undefined);
    const otherChat = await emu.api('sendMessage', {
      chat_id: bob,
      text: 'x',
      reply_parameters: { message_id: source.message_id, chat_id: alice },
    });
    assert.equal(otherChat.status, 400, 'replies across chats are refused, not faked');
  });

  it('keeps protect_content on the stored message, in the log and on the stream', async () => {
    const source = await emu.say(alice, { text: 'secret' });
    const copy = await emu.api<{ message_id: number }>('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: source.message_id,
      protect_content: true,
    });
    const [entry] = await chat(bob);
    assert.equal(entry?.protect_content, true);
    assert.equal(entry?.message.has_protected_content, true);
    assert.deepEqual(entry?.copied_from, { chat_id: alice, message_id: source.message_id });
    const again = await emu.api('copyMessage', {
      chat_id: alice,
      from_chat_id: bob,
      message_id: copy.body.result.message_id,
    });
    assert.equal(again.body.description, "Bad Request: message can't be copied");
    const plain = await emu.api('sendMessage', { chat_id: bob, text: 'open' });
    assert.equal(plain.body.result.has_protected_content, undefined);
  });

  it('copyMessages gives each album its own new group and keeps other messages apart', async () => {
    const album = await emu.control<{ results: { message_id: number }[] }>(
      'POST',
      `/users/${alice}/albums`,
      { items: [{ photo: true, caption: 'one' }, { photo: true }] },
    );
    const between = await emu.say(alice, { text: 'between' });
    const second = await emu.control<{ results: { message_id: number }[] }>(
      'POST',
      `/users/${alice}/albums`,
      { items: [{ video: true }, { photo: true }, { photo: true }] },
    );
    const ids = [
      ...album.body.results.map((r) => r.message_id),
      between.message_id,
      ...second.body.results.map((r) => r.message_id),
    ];
    const res = await emu.api<{ message_id: number }[]>('copyMessages', {
      chat_id: bob,
      from_chat_id: alice,
      message_ids: ids,
      protect_content: true,
      remove_caption: true,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.result.length, 6);
    const log = await chat(bob);
    const groups = log.map((e) => e.media_group_id);
    assert.ok(groups[0] !== undefined && groups[0] === groups[1], 'first album together');
    assert.equal(groups[2], undefined, 'the text is no album');
    assert.ok(groups[3] !== undefined && groups[3] === groups[4] && groups[4] === groups[5]);
    assert.notEqual(groups[0], groups[3], 'two albums stay two');
    const sourceGroups = new Set((await chat(alice)).map((e) => e.media_group_id));
    assert.ok(!sourceGroups.has(groups[0]), 'copies get new group ids');
    assert.ok(log.every((e) => e.protect_content === true));
    assert.equal(log[0]?.message.caption, undefined, 'remove_caption');
    assert.deepEqual(
      log.map((e) => e.content),
      ['photo', 'photo', 'text', 'video', 'photo', 'photo'],
    );
  });

  it('editMessageCaption edits a caption, refuses text messages and unchanged captions', async () => {
    const source = await emu.say(alice, { photo: true, caption: 'before' });
    const copy = await emu.api<{ message_id: number }>('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: source.message_id,
    });
    const id = copy.body.result.message_id;
    const edited = await emu.api('editMessageCaption', {
      chat_id: bob,
      message_id: id,
      caption: '<b>after</b>',
      parse_mode: 'HTML',
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.result.caption, 'after');
    assert.equal(typeof edited.body.result.edit_date, 'number');
    assert.equal(edited.body.result.photo?.length, 3);
    const [entry] = await chat(bob);
    assert.equal(entry?.edit_date, edited.body.result.edit_date);
    const same = await emu.api('editMessageCaption', {
      chat_id: bob,
      message_id: id,
      caption: 'after',
    });
    assert.match(same.body.description ?? '', /message is not modified/);
    const text = await emu.api('sendMessage', { chat_id: bob, text: 'plain' });
    const noCaption = await emu.api('editMessageCaption', {
      chat_id: bob,
      message_id: text.body.result.message_id,
      caption: 'x',
    });
    assert.equal(
      noCaption.body.description,
      'Bad Request: there is no caption in the message to edit',
    );
    const removed = await emu.api('editMessageCaption', { chat_id: bob, message_id: id });
    assert.equal(removed.body.result.caption, undefined, 'no caption removes it');
    const users = await emu.api('editMessageCaption', {
      chat_id: alice,
      message_id: source.message_id,
      caption: 'x',
    });
    assert.equal(users.body.description, "Bad Request: message can't be edited");
  });

  it('setMyCommands stores lists by scope and language; the user sees theirs', async () => {
    const english = [{ command: 'find', description: 'Find a partner' }];
    const persian = [{ command: 'find', description: 'پیدا کردن هم‌صحبت' }];
    assert.equal((await emu.api('setMyCommands', { commands: english })).body.result, true);
    const fa = await emu.api('setMyCommands', {
      commands: JSON.stringify(persian),
      language_code: 'fa',
      scope: { type: 'all_private_chats' },
    });
    assert.equal(fa.body.result, true);
    assert.deepEqual((await emu.api('getMyCommands')).body.result, english);
    const forBob = await emu.control<{ commands: unknown }>('GET', `/users/${bob}/commands`);
    assert.deepEqual(forBob.body.commands, persian, 'Bob reads Persian');
    const forAlice = await emu.control<{ commands: unknown }>('GET', `/users/${alice}/commands`);
    assert.deepEqual(forAlice.body.commands, english);
    for (const [commands, description] of [
      [[{ command: 'Find', description: 'x' }], 'Bad Request: BOT_COMMAND_INVALID'],
      [[{ command: 'find', description: ' ' }], 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID'],
      [
        [{ command: 'find' }],
        'Bad Request: can\'t parse BotCommand: Field "description" must be of type String',
      ],
    ] as const) {
      const res = await emu.api('setMyCommands', { commands });
      assert.equal(res.status, 400);
      assert.equal(res.body.description, description);
    }
    assert.deepEqual((await emu.api('getMyCommands')).body.result, english, 'unchanged');
    const chatScope = (chat_id: number) => ({
      commands: english,
      scope: { type: 'chat', chat_id },
    });
    assert.equal((await emu.api('setMyCommands', chatScope(alice))).body.result, true);
    const stranger = await emu.api('setMyCommands', chatScope(987_654_321));
    assert.equal(stranger.status, 400);
    assert.equal(stranger.body.description, 'Bad Request: chat not found');
    await emu.api('deleteMyCommands');
    assert.deepEqual((await emu.api('getMyCommands')).body.result, []);
  });

  it("getWebhookInfo's pending_update_count counts updates not yet confirmed", async () => {
    const pending = async (): Promise<number> =>
      (await emu.api<WebhookInfo>('getWebhookInfo')).body.result.pending_update_count;
    await emu.say(alice, { text: 'one' });
    await emu.say(alice, { text: 'two' });
    assert.equal(await pending(), 2, 'waiting for getUpdates');
    const [first] = (await emu.api<{ update_id: number }[]>('getUpdates')).body.result;
    assert.equal(await pending(), 2, 'fetched but not confirmed');
    await emu.api('getUpdates', { offset: (first?.update_id ?? 0) + 1 });
    assert.equal(await pending(), 1, 'the offset confirmed one');
    let failing = true;
    hook.handler = (_request, res) => {
      res.statusCode = failing ? 500 : 200;
      res.end();
    };
    await emu.api('setWebhook', { url: hook.url, allowed_updates: ['message', 'edited_message'] });
    await emu.say(alice, { text: 'three' });
    await waitFor(() => hook.requests.length >= 2);
    assert.equal(await pending(), 2, 'failed deliveries stay pending');
    await emu.control('POST', `/users/${alice}/block`, { blocked: true });
    assert.equal(await pending(), 2, 'a type the bot opted out of is never pending');
    failing = false;
    await waitFor(async () => (await pending()) === 0);
    const edit = await emu.control('POST', `/users/${alice}/block`, { blocked: false });
    assert.equal(edit.status, 200);
    await emu.api('setWebhook', { url: hook.url, drop_pending_updates: true });
    assert.equal(await pending(), 0);
  });

  it('delivers an edit after its message, in the chat’s one queue', async () => {
    await emu.api('setWebhook', { url: hook.url });
    const sent = await emu.say(alice, { text: 'tpyo' });
    await emu.control('POST', `/users/${alice}/edits`, {
      message_id: sent.message_id,
      text: 'typo',
    });
    await waitFor(() => hook.requests.length === 2);
    const [message, edit] = hook.requests.map((r) => r.update);
    assert.equal(message?.message?.text, 'tpyo');
    assert.equal(edit?.edited_message?.text, 'typo');
    assert.ok((message?.update_id ?? 0) < (edit?.update_id ?? 0));
  });
});
