import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALLBACK_PATTERNS, parseCallback } from './callbacks.js';
import type { Profile } from './profile.js';
import { REPLIES, renderReply, type ReplyName } from './replies.js';
import { settingsView } from './settings.js';

const adult: Profile = {
  lang: 'en',
  gender: 'f',
  age: 30,
  wants: 'any',
  ageMin: 25,
  ageMax: 34,
  sameLanguage: false,
  protect: false,
};

function buttonsOf(markup: unknown): { text: string; callback_data: string }[] {
  const m = markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
  return m?.inline_keyboard?.flat() ?? [];
}

test('every inline button the bot shows carries data that parses back, within 64 bytes', () => {
  const all = [
    ...buttonsOf(settingsView(adult).reply_markup),
    ...buttonsOf(
      settingsView({ ...adult, lang: 'fa', age: 15, ageMin: 13, ageMax: 17 }).reply_markup,
    ),
    ...Object.keys(REPLIES).flatMap((name) =>
      buttonsOf(renderReply(`@${name as ReplyName}`, 'fa')?.params['reply_markup']),
    ),
  ];
  assert.ok(all.length > 20);
  for (const b of all) {
    const callback = parseCallback(b.callback_data);
    assert.notEqual(callback, null, b.callback_data);
    // The router sends a press on by these patterns: each button's data fits its kind's.
    assert.match(b.callback_data, CALLBACK_PATTERNS[callback!.kind]);
    assert.ok(Buffer.byteLength(b.callback_data) <= 64, 'Telegram allows 1-64 bytes');
  }
});

test('callback data the bot never sent parses to nothing', () => {
  for (const data of [
    '',
    'p:g:m',
    's:g:x',
    'o:l:de',
    's:r:1-99',
    's:r:18-99 ',
    'r:nothing',
    'r:spam',
    'r:spam:',
    'r:spam:-4',
    'r:spam:1e3',
    '__proto__',
    's:p:2',
    'o:w:',
  ]) {
    assert.equal(parseCallback(data), null, JSON.stringify(data));
  }
});

test("a report reason carries the chat it was asked about, never a user's id", () => {
  const ask = renderReply('@reportAsk?c=42', 'en');
  const data = buttonsOf(ask?.params['reply_markup']).map((b) => b.callback_data);
  assert.ok(data.includes('r:spam:42'));
  assert.deepEqual(parseCallback('r:abuse:42'), { kind: 'report', reason: 'abuse', chat: 42 });
});

test('settings show the profile and mark what is chosen', () => {
  const view = settingsView(adult);
  assert.match(view.text, /You are: a woman, 30/);
  assert.match(view.text, /anyone, aged 25–34/);
  const marked = buttonsOf(view.reply_markup).filter((b) => b.text.startsWith('•'));
  assert.deepEqual(
    marked.map((b) => b.callback_data),
    ['s:l:en', 's:g:f', 's:w:any', 's:r:25-34', 's:x:any'],
  );
  const minor = settingsView({ ...adult, age: 15, ageMin: 13, ageMax: 17 });
  assert.ok(!buttonsOf(minor.reply_markup).some((b) => b.callback_data.startsWith('s:r:')));
  assert.match(minor.text, /under 18/);
});
