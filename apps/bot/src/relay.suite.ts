import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { t } from '@hamdam/domain';
import { pairUp, useStack } from './chat.suite.js';
import { says, type ChatEntry } from './testing/stack.js';

const keyboardOf = (e: ChatEntry) =>
  (e.reply_markup as { keyboard?: { text: string }[][] } | undefined)?.keyboard
    ?.flat()
    .map((b) => b.text);

/** A faithful relay: replies, edits, albums, any text, and what must not pass. */
export function relaySuite(name: string, shared: boolean): void {
  describe(`a faithful relay: ${name}`, () => {
    const stack = useStack(shared);

    it('passes on any text that is not a command, and keeps the chat keyboard', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.send(a, { text: '/etc/hosts is where names live' });
      await s.waitFor(b, (e) => e.message.text === '/etc/hosts is where names live');
      await s.send(a, { text: '/stats' });
      await s.waitFor(b, (e) => e.message.text === '/stats', 5_000);
      await s.send(a, { text: '/help' });
      const help = await s.waitFor(a, says('help'));
      assert.ok(
        keyboardOf(help)?.includes(t('en', 'button.next')),
        'help mid-chat keeps the chat keyboard',
      );
      await s.settle();
      const log = await s.chat(a);
      const swapped = log
        .slice(log.findIndex(says('matched')))
        .filter((e) => e.from_bot && keyboardOf(e)?.includes(t('en', 'button.find')));
      assert.deepEqual(swapped, [], 'no reply swapped the chat keyboard for the main one');
    });

    it('a reply arrives as a reply to the right message, both ways', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const original = await s.send(a, { text: 'question?' });
      const copy = await s.waitFor(b, (e) => e.message.text === 'question?');
      await s.send(b, { text: 'answer!', reply_to_message_id: copy.message.message_id });
      const answer = await s.waitFor(a, (e) => e.message.text === 'answer!');
      assert.equal(
        answer.reply_to_message_id,
        original.message_id,
        "a sees a reply to a's own message",
      );
      await s.send(a, { text: 'follow-up', reply_to_message_id: original.message_id });
      const follow = await s.waitFor(b, (e) => e.message.text === 'follow-up');
      assert.equal(
        follow.reply_to_message_id,
        copy.message.message_id,
        "b sees a reply to b's copy",
      );
    });

    it('a reply and an edit made the moment a copy arrives, before the bot hears back, keep their link', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      // Every call lands at once and its answer comes 1.5 s later: the copy is in b's chat
      // long before the bot learns its id.
      await s.latency(1_500, true);
      try {
        const original = await s.send(a, { text: 'quick question' });
        const copy = await s.waitFor(b, (e) => e.message.text === 'quick question');
        await s.send(b, { text: 'quick answer', reply_to_message_id: copy.message.message_id });
        await s.edit(a, original.message_id, { text: 'quick question, edited' });
        const answer = await s.waitFor(a, (e) => e.message.text === 'quick answer', 10_000);
        assert.equal(answer.reply_to_message_id, original.message_id, 'still a reply');
        await s.waitFor(
          b,
          (e) =>
            e.message.message_id === copy.message.message_id &&
            e.message.text === 'quick question, edited',
          10_000,
        );
      } finally {
        await s.latency(0);
      }
    });

    it('mirrors edits of text and captions on the copy', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const m = await s.send(a, { text: 'typo hree' });
      const copy = await s.waitFor(b, (e) => e.message.text === 'typo hree');
      await s.edit(a, m.message_id, { text: 'typo here' });
      await s.waitFor(
        b,
        (e) => e.message.message_id === copy.message.message_id && e.message.text === 'typo here',
      );
      const p = await s.send(a, { photo: true, caption: 'frist' });
      const photo = await s.waitFor(b, (e) => e.message.caption === 'frist');
      await s.edit(a, p.message_id, { caption: 'first' });
      const edited = await s.waitFor(
        b,
        (e) => e.message.message_id === photo.message.message_id && e.message.caption === 'first',
      );
      assert.ok(edited.edit_date, 'marked edited');
    });

    it('an album arrives as one album', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.album(a, ['one', 'two', 'three']);
      await s.waitFor(b, (e) => e.message.caption === 'three', 8_000);
      await s.settle();
      const parts = (await s.chat(b)).filter((e) => e.copied_from?.chat_id === a);
      assert.equal(parts.length, 3);
      const groups = new Set(parts.map((p) => p.media_group_id));
      assert.equal(groups.size, 1);
      assert.ok([...groups][0], 'grouped');
    });

    it('refuses a contact with a clear notice; the partner gets nothing', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.send(a, { contact: true });
      await s.waitFor(a, says('contactRefused'));
      await s.send(a, { text: 'after the contact' });
      await s.waitFor(b, (e) => e.message.text === 'after the contact');
      assert.ok(!(await s.chat(b)).some((e) => e.message.contact !== undefined));
    });

    it("protects a user's media from forwarding and saving when they ask", async () => {
      const s = stack();
      const a = await s.onboarded('Careful');
      await s.send(a, { text: '/settings' });
      const view = await s.waitFor(a, (e) => e.message.text?.startsWith('⚙️ Settings') ?? false);
      await s.press(a, view.message.message_id, 's:p:1');
      await s.waitFor(a, (e) => e.message.text?.includes('forwarding and saving: on') ?? false);
      const b = await s.onboarded('Other');
      await s.send(a, { text: '/find' });
      await s.send(b, { text: '/find' });
      await s.waitFor(b, says('matched'));
      await s.send(a, { photo: true, caption: 'mine only' });
      const copy = await s.waitFor(b, (e) => e.message.caption === 'mine only');
      assert.equal(copy.protect_content, true);
      await s.send(b, { text: 'not protected' });
      const back = await s.waitFor(a, (e) => e.message.text === 'not protected');
      assert.equal(back.protect_content, undefined);
    });

    it('relays every kind a user can send', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const kinds = [
        'sticker',
        'voice',
        'video',
        'document',
        'animation',
        'audio',
        'video_note',
        'location',
        'dice',
      ];
      for (const kind of kinds) await s.send(a, { [kind]: true });
      await s.settle();
      const got = (await s.chat(b))
        .filter((e) => e.copied_from?.chat_id === a)
        .map((e) => e.content);
      assert.deepEqual(got.sort(), [...kinds].sort());
      // Onboarding, Find and nine messages in a row stay within the default flood budget.
      assert.ok(
        !(await s.chat(a)).some(says('slowDown')),
        'a normal user is never told to slow down',
      );
    });
  });
}
