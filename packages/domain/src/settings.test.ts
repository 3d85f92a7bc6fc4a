import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSettingsCallback, settingsView } from './settings.js';

test('every settings button carries data that parses back to a profile change', () => {
  const view = settingsView({ gender: 'f', wants: 'any' });
  const buttons = view.reply_markup.inline_keyboard.flat();
  assert.equal(buttons.length, 5);
  for (const b of buttons) {
    assert.ok(parseSettingsCallback(b.callback_data), b.callback_data);
    assert.ok(Buffer.byteLength(b.callback_data) <= 64, 'Telegram allows 1-64 bytes');
  }
  assert.match(view.text, /You are: a woman/);
  assert.match(view.text, /meet: anyone/);
});

test('callback data we never sent changes nothing', () => {
  for (const data of ['', 'p:g:x', 'p:w:', '__proto__', 'constructor', 'p:g:m ']) {
    assert.equal(parseSettingsCallback(data), null, JSON.stringify(data));
  }
});
