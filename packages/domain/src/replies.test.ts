import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandOf, parseDuration } from './commands.js';
import { placeholders, t } from './i18n/catalogue.js';
import { LANGUAGES } from './profile.js';
import {
  REPLIES,
  parseReplyRef,
  renderReply,
  replyRef,
  sentAnew,
  type ReplyName,
} from './replies.js';

test('every reply renders in every language, with no placeholder left unfilled', () => {
  for (const name of Object.keys(REPLIES) as ReplyName[]) {
    // Every placeholder its text has, given a value, as the code that queues it does.
    const args = Object.fromEntries(
      placeholders(t('en', REPLIES[name].text)).map((p) => [
        p,
        p === 'until' ? 1_800_000_000_000 : 7,
      ]),
    );
    for (const lang of LANGUAGES) {
      const call = renderReply(replyRef(name, { ...args, q: 'abc' }), lang);
      assert.ok(call, `${name} in ${lang}`);
      const text = String(call.params['text']);
      assert.ok(text.length > 0);
      assert.doesNotMatch(text, /\{\w+\}/, `${name} in ${lang}: ${text}`);
    }
  }
});

test('a keyboard argument overrides the reply keyboard, so a chat keeps its own', () => {
  const help = renderReply('@help?kb=chat', 'en')!;
  const rows = (help.params['reply_markup'] as { keyboard: { text: string }[][] }).keyboard;
  assert.ok(rows.flat().some((b) => b.text.includes('Next')));
  assert.equal(renderReply('@help?kb=nonsense', 'en')!.params['reply_markup'] !== undefined, true);
});

test('a reply said in place edits the message it names, where an edit can show it', () => {
  const gender = renderReply('@askGender?e=41', 'en')!;
  assert.equal(gender.method, 'editMessageText');
  assert.equal(gender.params['message_id'], 41);
  assert.equal(gender.params['text'], t('en', 'onboarding.gender'));
  const buttons = (
    gender.params['reply_markup'] as { inline_keyboard: { callback_data: string }[][] }
  ).inline_keyboard.flat();
  assert.deepEqual(
    buttons.map((b) => b.callback_data),
    ['o:g:m', 'o:g:f'],
  );
  // A question without buttons takes the answered one's away.
  const age = renderReply('@askAge?e=41', 'fa')!;
  assert.equal(age.method, 'editMessageText');
  assert.deepEqual(age.params['reply_markup'], { inline_keyboard: [] });
  // A reply keyboard cannot go on an edited message, so such a reply is sent anew; and so is
  // one whose message id is not a message id.
  assert.equal(renderReply('@profileDone?e=41', 'en')!.method, 'sendMessage');
  for (const bad of ['', 'abc', '0', '-3', '1.5', '99999999999999999999'])
    assert.equal(renderReply(`@askAge?e=${bad}`, 'en')!.method, 'sendMessage', bad);
});

test('a reply refused in place is sent anew, with its other arguments', () => {
  assert.equal(sentAnew('@askGender?e=41'), '@askGender');
  assert.equal(sentAnew('@askLanguage?lang=fa&e=41'), '@askLanguage?lang=fa');
  assert.equal(sentAnew('@askAge'), null, 'not said in place');
  assert.equal(sentAnew('@noSuchReply?e=4'), null);
});

test('answers to button presses go to the query, not the chat', () => {
  const call = renderReply(replyRef('settingsSaved', { q: '77' }), 'fa')!;
  assert.equal(call.method, 'answerCallbackQuery');
  assert.equal(call.params['callback_query_id'], '77');
});

test('references outside the catalogue render nothing', () => {
  for (const ref of ['@nope', 'help', '@', '@__proto__', '@constructor?x=1']) {
    assert.equal(parseReplyRef(ref), null, ref);
    assert.equal(renderReply(ref, 'en'), null, ref);
  }
});

test('commands: the first word, for this bot only', () => {
  assert.equal(commandOf('/find', 'hamdam_bot'), 'find');
  assert.equal(commandOf('/Next@hamdam_bot now', 'hamdam_bot'), 'next');
  assert.equal(commandOf('/stop@other_bot', 'hamdam_bot'), null);
  assert.equal(commandOf('/etc/hosts is where', 'hamdam_bot'), null);
  assert.equal(commandOf('hello /find', 'hamdam_bot'), null);
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('7d'), 604_800_000);
  for (const bad of ['', '0m', '10', '5w', '9999d', '-1h']) assert.equal(parseDuration(bad), null);
});
