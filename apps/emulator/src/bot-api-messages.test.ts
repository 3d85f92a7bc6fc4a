import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { useEmulator } from './testing/fixtures.js';
import type { AnyLogEntry, AnyMessage as Message } from './testing/harness.js';

describe('Bot API messages', () => {
  const emu = useEmulator();
  let alice: number;
  let bob: number;

  beforeEach(async () => {
    alice = (await emu.createUser({ first_name: 'Alice' })).id;
    bob = (await emu.createUser({ first_name: 'Bob' })).id;
  });

  it('sends messages with per-chat message ids shared with the user', async () => {
    await emu.say(alice, { text: 'one' });
    const sent = await emu.api('sendMessage', {
      chat_id: alice,
      text: 'reply',
      reply_parameters: { message_id: 1 },
      protect_content: true,
    });
    assert.equal(sent.body.result.message_id, 2);
    assert.equal(sent.body.result.reply_to_message?.text, 'one');
    assert.equal(sent.body.result.has_protected_content, true);
    assert.equal(sent.body.result.from.is_bot, true);
    const other = await emu.api('sendMessage', { chat_id: bob, text: 'first in bob' });
    assert.equal(other.body.result.message_id, 1);
  });

  it('copyMessage copies content, caption and markup and records where it came from', async () => {
    await emu.say(alice, { photo: true, caption: 'look' });
    const copied = await emu.api<{ message_id: number }>('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: 1,
      reply_markup: { inline_keyboard: [[{ text: 'Like', callback_data: 'like' }]] },
    });
    assert.equal(copied.status, 200);
    assert.deepEqual(copied.body.result, { message_id: 1 });
    const bobChat = await emu.control<{ messages: AnyLogEntry[] }>('GET', `/users/${bob}/chat`);
    const [entry] = bobChat.body.messages;
    assert.ok(entry);
    assert.equal(entry.from_bot, true);
    assert.deepEqual(entry.copied_from, { chat_id: alice, message_id: 1 });
    assert.equal(entry.message.caption, 'look');
    assert.equal(entry.message.photo?.length, 3);
    assert.equal(entry.message.chat.id, bob);
    assert.deepEqual(entry.message.reply_markup, {
      inline_keyboard: [[{ text: 'Like', callback_data: 'like' }]],
    });
    const aliceChat = await emu.control<{ messages: { message: Message }[] }>(
      'GET',
      `/users/${alice}/chat`,
    );
    assert.equal(
      entry.message.photo?.[0]?.file_id,
      aliceChat.body.messages[0]?.message.photo?.[0]?.file_id,
    );
    const recaptioned = await emu.api<{ message_id: number }>('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: 1,
      caption: 'new caption',
    });
    assert.equal(recaptioned.body.result.message_id, 2);
    const later = await emu.control<{ messages: AnyLogEntry[] }>(
      'GET',
      `/users/${bob}/chat?after=${entry.seq}`,
    );
    assert.equal(later.body.messages.length, 1);
    assert.equal(later.body.messages[0]?.message.caption, 'new caption');
  });

  it('copyMessage reports a missing source message and a missing source chat', async () => {
    const missing = await emu.api('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: 77,
    });
    assert.deepEqual(missing.body, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: message to copy not found',
    });
    const noChat = await emu.api('copyMessage', { chat_id: bob, from_chat_id: 5, message_id: 1 });
    assert.equal(noChat.body.description, 'Bad Request: chat not found');
    const noId = await emu.api('copyMessage', { chat_id: bob, from_chat_id: alice });
    assert.equal(noId.body.description, 'Bad Request: message_id is required');
  });

  it('copyMessages copies existing messages in order, keeps albums together and validates ids', async () => {
    await emu.say(alice, { photo: true, media_group_id: 'album-1', caption: 'first' });
    await emu.say(alice, { video: true, media_group_id: 'album-1' });
    await emu.say(alice, { text: 'after the album' });
    const res = await emu.api<{ message_id: number }[]>('copyMessages', {
      chat_id: bob,
      from_chat_id: alice,
      message_ids: [1, 2, 3, 50],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, [{ message_id: 1 }, { message_id: 2 }, { message_id: 3 }]);
    const chat = await emu.control<{ messages: { message: Message }[] }>(
      'GET',
      `/users/${bob}/chat`,
    );
    const [photo, video, text] = chat.body.messages.map((entry) => entry.message);
    assert.ok(photo?.media_group_id !== undefined);
    assert.notEqual(photo.media_group_id, 'album-1');
    assert.equal(video?.media_group_id, photo.media_group_id);
    assert.equal(text?.media_group_id, undefined);
    assert.equal(text?.text, 'after the album');
    const unordered = await emu.api('copyMessages', {
      chat_id: bob,
      from_chat_id: alice,
      message_ids: [2, 1],
    });
    assert.equal(
      unordered.body.description,
      'Bad Request: message_ids must be in strictly increasing order',
    );
    const tooMany = await emu.api('copyMessages', {
      chat_id: bob,
      from_chat_id: alice,
      message_ids: Array.from({ length: 101 }, (_, i) => i + 1),
    });
    assert.equal(tooMany.status, 400);
    const asString = await emu.api('copyMessages', {
      chat_id: bob,
      from_chat_id: alice,
      message_ids: '[1]',
    });
    assert.deepEqual(asString.body.result, [{ message_id: 4 }]);
  });

  it('edits text and markup, and refuses unchanged or unknown messages', async () => {
    const markup = { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] };
    const sent = await emu.api('sendMessage', { chat_id: alice, text: 'v1', reply_markup: markup });
    const id = sent.body.result.message_id;
    const edited = await emu.api('editMessageText', {
      chat_id: alice,
      message_id: id,
      text: 'v2',
      reply_markup: markup,
    });
    assert.equal(edited.body.result.text, 'v2');
    assert.equal(typeof edited.body.result.edit_date, 'number');
    const same = await emu.api('editMessageText', {
      chat_id: alice,
      message_id: id,
      text: 'v2',
      reply_markup: markup,
    });
    assert.equal(same.status, 400);
    assert.match(same.body.description ?? '', /^Bad Request: message is not modified/);
    const cleared = await emu.api('editMessageReplyMarkup', { chat_id: alice, message_id: id });
    assert.equal(cleared.body.result.reply_markup, undefined);
    const unchanged = await emu.api('editMessageReplyMarkup', { chat_id: alice, message_id: id });
    assert.match(unchanged.body.description ?? '', /^Bad Request: message is not modified/);
    const missing = await emu.api('editMessageText', {
      chat_id: alice,
      message_id: 999,
      text: 'x',
    });
    assert.deepEqual(missing.body, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: message to edit not found',
    });
    await emu.say(alice, { text: 'mine' });
    const notBot = await emu.api('editMessageText', {
      chat_id: alice,
      message_id: id + 1,
      text: 'x',
    });
    assert.equal(notBot.body.description, "Bad Request: message can't be edited");
  });

  it('deletes messages once and marks them deleted in the chat log', async () => {
    const sent = await emu.api('sendMessage', { chat_id: alice, text: 'bye' });
    const id = sent.body.result.message_id;
    assert.equal(
      (await emu.api<boolean>('deleteMessage', { chat_id: alice, message_id: id })).body.result,
      true,
    );
    const again = await emu.api('deleteMessage', { chat_id: alice, message_id: id });
    assert.equal(again.body.description, 'Bad Request: message to delete not found');
    const chat = await emu.control<{ messages: { deleted?: boolean }[] }>(
      'GET',
      `/users/${alice}/chat`,
    );
    assert.equal(chat.body.messages[0]?.deleted, true);
    const copy = await emu.api('copyMessage', {
      chat_id: bob,
      from_chat_id: alice,
      message_id: id,
    });
    assert.equal(copy.body.description, 'Bad Request: message to copy not found');
  });

  it('answers a callback query exactly once', async () => {
    const sent = await emu.api('sendMessage', {
      chat_id: alice,
      text: 'pick',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    const press = await emu.control<{ callback_query_id: string }>(
      'POST',
      `/users/${alice}/callbacks`,
      {
        message_id: sent.body.result.message_id,
        data: 'a',
      },
    );
    const id = press.body.callback_query_id;
    const ok = await emu.api<boolean>('answerCallbackQuery', {
      callback_query_id: id,
      text: 'Done',
    });
    assert.equal(ok.body.result, true);
    const twice = await emu.api('answerCallbackQuery', { callback_query_id: id });
    assert.deepEqual(twice.body, {
      ok: false,
      error_code: 400,
      description:
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
    const missing = await emu.api('answerCallbackQuery', {});
    assert.equal(missing.body.description, 'Bad Request: callback_query_id is required');
  });

  it('validates sendChatAction and counts calls per method', async () => {
    assert.equal(
      (await emu.api<boolean>('sendChatAction', { chat_id: alice, action: 'typing' })).body.result,
      true,
    );
    const wrong = await emu.api('sendChatAction', { chat_id: alice, action: 'dancing' });
    assert.equal(wrong.body.description, 'Bad Request: wrong parameter action in request');
    const stats = await emu.control<{ api_calls: Record<string, number> }>('GET', '/stats');
    assert.equal(stats.body.api_calls['sendChatAction'], 2);
  });
});
