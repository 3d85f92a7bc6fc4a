import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pairUp, useStack } from './chat.suite.js';
import { says, type Stack } from './testing/stack.js';

/** Outbox entries the worker dropped as unreadable, from its /metrics. */
async function poisoned(s: Stack): Promise<number> {
  const page = (await s.worker.app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = page.split('\n').find((l) => l.startsWith('hamdam_outbox_poison_total '));
  return Number(line?.split(' ')[1]);
}

/** How the dispatcher settles Telegram's refusals, and the periodic work. */
export function sendingSuite(name: string, shared: boolean): void {
  describe(`sending: ${name}`, () => {
    const stack = useStack(shared);
    const control = (path: string, body: unknown) =>
      fetch(`${stack().config.telegram.apiRoot}/control${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('waits retry_after on 429 and then delivers once', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const fault = await control('/faults', {
        method: 'copyMessage',
        chat_id: b,
        count: 1,
        error_code: 429,
        retry_after: 1,
      });
      assert.equal(fault.status, 200);
      const started = Date.now();
      await s.send(a, { text: 'after the flood wait' });
      await s.waitFor(b, (e) => e.message.text === 'after the flood wait');
      assert.ok(Date.now() - started >= 900, 'not sent again before retry_after');
      await s.settle();
      assert.equal(
        (await s.chat(b)).filter((e) => e.message.text === 'after the flood wait').length,
        1,
      );
    });

    it('an album whose media group holds the entry separator arrives, and so does what follows', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const before = await poisoned(s);
      await s.send(a, { photo: true, caption: 'odd group', media_group_id: 'evil|group' });
      await s.send(a, { text: 'after the odd group' });
      await s.waitFor(b, (e) => e.message.caption === 'odd group', 8_000);
      await s.waitFor(b, (e) => e.message.text === 'after the odd group');
      assert.equal(await poisoned(s), before);
    });

    it('drops an outbox entry it cannot read, counts it, and sends what the chat is owed next', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      const before = await poisoned(s);
      // As a foreign writer could leave it: it reads as a copy with one field too many.
      await s.worker.app.state.outbox.say({
        chatId: b,
        stamp: null,
        payload: '~1|2|a|b|||0' as '@help',
      });
      await s.send(a, { text: 'after the bad entry' });
      await s.waitFor(b, (e) => e.message.text === 'after the bad entry');
      assert.equal(await poisoned(s), before + 1);
    });

    it("sends onboarding's next question anew when its message cannot be edited", async () => {
      const s = stack();
      const u = await s.user('Nima');
      await s.send(u, { text: '/start' });
      const language = await s.waitFor(u, says('onboarding.language'));
      // The question was deleted: Telegram refuses to edit it.
      await control('/faults', {
        method: 'editMessageText',
        chat_id: u,
        count: 1,
        error_code: 400,
        description: 'Bad Request: message to edit not found',
      });
      await s.press(u, language.message.message_id, 'o:l:en');
      const gender = await s.waitFor(u, says('onboarding.gender'));
      assert.notEqual(gender.message.message_id, language.message.message_id, 'a new message');
      // Refused as "not modified", the question already shows: nothing is sent again.
      await control('/faults', {
        method: 'editMessageText',
        chat_id: u,
        count: 1,
        error_code: 400,
        description: 'Bad Request: message is not modified',
      });
      await s.press(u, gender.message.message_id, 'o:g:m');
      await s.settle();
      assert.equal((await s.chat(u)).filter(says('onboarding.age')).length, 0);
      await s.send(u, { text: '/start' });
      await s.waitFor(u, says('onboarding.age'));
    });

    it('ends the chat when a send meets 403, and tells the partner', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await control('/faults', { method: 'copyMessage', chat_id: b, count: 1, error_code: 403 });
      await s.send(a, { text: 'are you there?' });
      await s.waitFor(a, says('partnerLeft'));
      await s.send(a, { text: 'hello?' });
      await s.waitFor(a, says('notChatting'));
    });

    it('ends the chat when the partner blocks the bot (my_chat_member)', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await control(`/users/${b}/block`, { blocked: true });
      await s.waitFor(a, says('partnerLeft'));
    });
  });

  describe(`a Bot API slower than the send lease: ${name}`, () => {
    const stack = useStack(shared, { SEND_LEASE_MS: '1500' });

    it('sends each message once: a call still in flight keeps its lease', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.latency(3_500);
      try {
        for (const text of ['slow one', 'slow two']) await s.send(a, { text });
        for (const text of ['slow one', 'slow two']) {
          await s.waitFor(b, (e) => e.message.text === text, 15_000);
        }
      } finally {
        await s.latency(0);
      }
      await s.settle();
      const texts = (await s.chat(b)).map((e) => e.message.text);
      assert.equal(texts.filter((t) => t === 'slow one').length, 1);
      assert.equal(texts.filter((t) => t === 'slow two').length, 1);
    });
  });

  describe(`periodic work: ${name}`, () => {
    const stack = useStack(shared, {
      IDLE_CHAT_MS: '1500',
      QUEUE_IDLE_MS: '1500',
      RECENT_PARTNER_MS: '1500',
    });

    it('an idle chat ends and both are told; a waiting user who does nothing is taken out', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.waitFor(a, says('idleEnded'), 8_000);
      await s.waitFor(b, says('idleEnded'), 8_000);
      const c = await s.onboarded('Alone', { gender: 'f' });
      await s.send(c, { text: '/settings' });
      const view = await s.waitFor(c, (e) => e.message.text?.startsWith('⚙️ Settings') ?? false);
      await s.press(c, view.message.message_id, 's:w:f');
      await s.send(c, { text: '/find' });
      await s.waitFor(c, says('queueExpired'), 8_000);
    });

    it('two who just chatted are paired again once the window ends, with nobody pressing anything', async () => {
      const s = stack();
      const [a, b] = await pairUp(s);
      await s.send(a, { text: '/next' });
      await s.waitFor(a, says('searching'));
      await s.send(b, { text: '/find' });
      await s.waitFor(b, says('searching'));
      const deadline = Date.now() + 8_000;
      while ((await s.chat(b)).filter(says('matched')).length < 2) {
        assert.ok(Date.now() < deadline, 'b and a were not paired again');
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal((await s.chat(a)).filter(says('matched')).length, 2);
    });
  });
}
