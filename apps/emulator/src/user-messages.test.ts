import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandEntities } from './user-messages.js';

test('commands in user text are marked as bot_command entities, as Telegram does', () => {
  assert.deepEqual(commandEntities('/start'), [{ type: 'bot_command', offset: 0, length: 6 }]);
  assert.deepEqual(commandEntities('/find@hamdam_bot now'), [
    { type: 'bot_command', offset: 0, length: 16 },
  ]);
  assert.deepEqual(commandEntities('🙂 /help'), [{ type: 'bot_command', offset: 3, length: 5 }]);
  assert.deepEqual(commandEntities('no/command here'), []);
  assert.deepEqual(commandEntities('a/b /'), []);
});
