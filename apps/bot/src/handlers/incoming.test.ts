import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '@hamdam/telegram';
import { classify } from './incoming.js';

const typed = (text: string, extra: Record<string, unknown> = {}): Message => ({
  message_id: 1,
  date: 0,
  chat: { id: 7, type: 'private', first_name: 'U' },
  from: { id: 7, is_bot: false, first_name: 'U' },
  text,
  entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
  ...extra,
});

test('a command is a text Telegram marked with a bot_command entity at its start', () => {
  assert.equal(classify(typed('/stop'), 'hamdam_bot', false).kind, 'command');
  assert.equal(classify(typed('/ban 12 1h'), 'hamdam_bot', true).kind, 'admin');
  assert.equal(
    classify(typed('/stop', { entities: undefined }), 'hamdam_bot', false).kind,
    'message',
  );
  const later = [{ type: 'bot_command', offset: 3, length: 5 }];
  assert.equal(classify(typed('/stop', { entities: later }), 'hamdam_bot', false).kind, 'message');
});

test('a forwarded message is never a command, old (forward_date) or new (forward_origin)', () => {
  const origin = { type: 'hidden_user', sender_user_name: 'X', date: 1 };
  for (const extra of [{ forward_origin: origin }, { forward_date: 1 }]) {
    const stop = classify(typed('/stop', extra), 'hamdam_bot', false);
    assert.equal(stop.kind, 'message');
    assert.equal(stop.kind === 'message' && stop.relay.unknownCommand, false);
    assert.equal(classify(typed('/ban 12 1h', extra), 'hamdam_bot', true).kind, 'message');
  }
});
