import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatLog, type ChatEntry } from './chat-log.js';

function entry(log: ChatLog, seq: number): ChatEntry {
  const id = log.nextMessageId();
  return {
    seq,
    fromBot: false,
    copiedFrom: undefined,
    message: {
      message_id: id,
      date: 0,
      chat: { id: 1, type: 'private', first_name: 'A' },
      from: { id: 1, is_bot: false, first_name: 'A' },
    },
    replyMarkup: undefined,
    deleted: false,
  };
}

test('a bounded chat log forgets its oldest messages and keeps the recent ones', () => {
  const log = new ChatLog(8);
  for (let seq = 1; seq <= 100; seq++) {
    log.append(entry(log, seq));
    const size = log.after(0).length;
    assert.ok(size <= 10, `holds ${size} after ${seq}, more than its bound and a quarter`);
  }
  const kept = log.after(0).map((e) => e.seq);
  assert.ok(kept.length >= 8, `kept ${kept.length}`);
  assert.deepEqual(
    kept,
    kept.slice().sort((a, b) => a - b),
  );
  assert.equal(kept.at(-1), 100);
  assert.equal(log.find(1), undefined, 'the oldest is gone');
  assert.ok(log.find(100), 'the newest is there');
  assert.ok(log.find(93), 'the last eight are there');
});

test('an unbounded chat log keeps everything', () => {
  const log = new ChatLog();
  for (let seq = 1; seq <= 50; seq++) log.append(entry(log, seq));
  assert.equal(log.after(0).length, 50);
  assert.ok(log.find(1));
});
