import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useEmulator } from './testing/fixtures.js';
import {
  openStream,
  waitFor,
  type AnyLogEntry,
  type AnyMessage as Message,
  type AnyUpdate as Update,
} from './testing/harness.js';

describe('control stream and playground', () => {
  const emu = useEmulator();

  it('streams sent messages, edits, deletes and injected updates', async () => {
    const stream = await openStream(emu.url);
    try {
      const user = await emu.createUser();
      await emu.say(user.id, { text: 'hello' });
      const sent = await emu.api('sendMessage', { chat_id: user.id, text: 'welcome' });
      const id = sent.body.result.message_id;
      await emu.api('copyMessage', { chat_id: user.id, from_chat_id: user.id, message_id: 1 });
      await emu.api('editMessageText', { chat_id: user.id, message_id: id, text: 'welcome!' });
      await emu.api('deleteMessage', { chat_id: user.id, message_id: id });
      await waitFor(() => stream.events.filter((event) => event.event === 'sent').length === 4);
      const sentEvents = stream.events
        .filter((event) => event.event === 'sent')
        .map(
          (event) =>
            event.data as {
              seq: number;
              chat_id: number;
              kind: string;
              message: Message;
              copied_from?: unknown;
            },
        );
      assert.deepEqual(
        sentEvents.map((event) => event.kind),
        ['send', 'copy', 'edit', 'delete'],
      );
      assert.ok(
        sentEvents.every((event) => event.chat_id === user.id && typeof event.seq === 'number'),
      );
      assert.equal(sentEvents[0]?.message.text, 'welcome');
      assert.deepEqual(sentEvents[1]?.copied_from, { chat_id: user.id, message_id: 1 });
      assert.equal(sentEvents[2]?.message.text, 'welcome!');
      const update = stream.events.find((event) => event.event === 'update')?.data as
        Update | undefined;
      assert.equal(update?.message?.text, 'hello');
    } finally {
      stream.close();
    }
  });

  it('tells for each sent message its content, reply, album, protection and edit', async () => {
    const stream = await openStream(emu.url);
    try {
      const user = await emu.createUser();
      const asked = await emu.say(user.id, { text: 'question' });
      const album = await emu.control<{ results: { message_id: number }[] }>(
        'POST',
        `/users/${user.id}/albums`,
        { items: [{ photo: true }, { video: true }] },
      );
      await emu.api('sendMessage', {
        chat_id: user.id,
        text: 'answer',
        reply_parameters: { message_id: asked.message_id },
        protect_content: true,
      });
      await emu.api('copyMessages', {
        chat_id: user.id,
        from_chat_id: user.id,
        message_ids: album.body.results.map((r) => r.message_id),
      });
      const sent = () => stream.events.filter((event) => event.event === 'sent');
      await waitFor(() => sent().length === 3);
      const answer = sent()[0]?.data as { message: Message };
      await emu.api('editMessageText', {
        chat_id: user.id,
        message_id: answer.message.message_id,
        text: 'better answer',
      });
      await waitFor(() => sent().length === 4);
      const summaries = sent().map((event) => {
        const summary = { ...(event.data as Record<string, unknown>) };
        for (const key of ['seq', 'chat_id', 'message']) delete summary[key];
        return summary;
      });
      const [reply, photo, video, edit] = summaries as Record<string, unknown>[];
      assert.deepEqual(reply, {
        kind: 'send',
        content: 'text',
        reply_to_message_id: asked.message_id,
        protect_content: true,
      });
      assert.equal(photo?.['content'], 'photo');
      assert.equal(video?.['content'], 'video');
      assert.equal(typeof photo?.['media_group_id'], 'string');
      assert.equal(photo?.['media_group_id'], video?.['media_group_id']);
      assert.equal(edit?.['kind'], 'edit');
      assert.equal(typeof edit?.['edit_date'], 'number');
    } finally {
      stream.close();
    }
  });

  it('serves the playground page, its scripts and styles, all from itself', async () => {
    const res = await fetch(`${emu.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<title>hamdam · playground<\/title>/);
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//, 'nothing from the network');
    const script = await fetch(`${emu.url}/playground/main.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.match(await script.text(), /EventSource\('\/control\/stream'\)/);
    const css = await fetch(`${emu.url}/playground/styles.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal((await fetch(`${emu.url}/playground/..%2Fsecret.js`)).status, 404);
    assert.equal((await fetch(`${emu.url}/playground/nothing.js`)).status, 404);
  });

  it('serves the sample file behind a media message, and nothing else', async () => {
    const user = await emu.createUser();
    await emu.say(user.id, { photo: true });
    await emu.say(user.id, { voice: true });
    const log = await emu.control<{ messages: AnyLogEntry[] }>('GET', `/users/${user.id}/chat`);
    const [photo, voice] = log.body.messages.map((entry) => entry.message);
    const image = await fetch(`${emu.url}/control/files/${photo?.photo?.at(-1)?.file_id ?? ''}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(bytes.length, photo?.photo?.at(-1)?.file_size, 'file_size is the file’s');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
    const audio = await fetch(`${emu.url}/control/files/${voice?.voice?.file_id ?? ''}`);
    assert.equal(audio.headers.get('content-type'), 'audio/ogg');
    assert.equal((await audio.arrayBuffer()).byteLength, voice?.voice?.file_size);
    const forged = `${(voice?.voice?.file_id ?? '').slice(0, -4)}AAAA`;
    assert.equal((await fetch(`${emu.url}/control/files/${forged}`)).status, 404);
    assert.equal((await fetch(`${emu.url}/control/files/nope`)).status, 404);
  });
});
