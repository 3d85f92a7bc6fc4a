import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatLog, type ChatEntry } from './chat-log.js';
import { buildMessage, type Envelope } from './message-builder.js';

function entry(log: ChatLog, seq: number): ChatEntry {
  const envelope: Envelope = {
    message_id: log.nextMessageId(),
    date: 0,
    chat: { id: 1, type: 'private', first_name: 'A' },
    from: { id: 1, is_bot: false, first_name: 'A' },
  };
  const content = { text: `message ${seq}` };
  return {
    seq,
    fromBot: false,
    copiedFrom: undefined,
    envelope,
    content,
    message: buildMessage(envelope, content),
    replyMarkup: undefined,
    deleted: false,
  };
}

test('a chat log with a maximum age forgets older messages and keeps the younger ones', () => {
  let now = 0;
  const log = new ChatLog(1_000, () => now);
  for (let seq = 1; seq <= 200; seq++) {
    now = seq * 100; // ten messages a second
    log.append(entry(log, seq));
    const kept = log.after(0).map((e) => e.seq);
    assert.ok(kept.length <= 11, `holds ${kept.length} after ${seq}: only the last second`);
    assert.equal(kept[0], Math.max(1, seq - 10), 'exactly the messages of the last second');
    assert.deepEqual(
      kept,
      kept.slice().sort((a, b) => a - b),
    );
  }
  assert.equal(log.find(1), undefined, 'the oldest is gone');
  assert.equal(log.find(189), undefined, 'older than a second is gone');
  assert.ok(log.find(190) && log.find(200), 'the last second is there');
  assert.deepEqual(
    log.after(195).map((e) => e.seq),
    [196, 197, 198, 199, 200],
  );
});

test('a quiet chat keeps an old message until the next one arrives', () => {
  let now = 0;
  const log = new ChatLog(1_000, () => now);
  log.append(entry(log, 1));
  now = 60_000;
  assert.ok(log.find(1), 'nothing is forgotten between messages');
  log.append(entry(log, 2));
  assert.equal(log.find(1), undefined);
  assert.ok(log.find(2));
});

test('an unbounded chat log keeps everything', () => {
  const log = new ChatLog();
  for (let seq = 1; seq <= 50; seq++) log.append(entry(log, seq));
  assert.equal(log.after(0).length, 50);
  assert.ok(log.find(1));
});
