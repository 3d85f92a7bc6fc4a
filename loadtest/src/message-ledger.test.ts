import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageLedger } from './message-ledger.js';

/** Two users in one chat: a sends `n` tagged messages to b. */
function chat(n: number) {
  const ledger = new MessageLedger();
  const a = ledger.open(1);
  const b = ledger.open(2);
  const tags = Array.from({ length: n }, (_, i) => {
    const tag = ledger.nextTag(a);
    ledger.stamp(a, i, 0);
    return tag;
  });
  return { ledger, a, b, tags };
}

test('every message once, in order, is a clean ledger', () => {
  const { ledger, b, tags } = chat(3);
  for (const tag of tags) ledger.copied(tag, 2, b, 10);
  const r = ledger.result();
  assert.deepEqual(
    [r.sent, r.expected, r.delivered, r.lost, r.duplicated, r.misrouted, r.outOfOrder],
    [3, 3, 3, 0, 0, 0, 0],
  );
});

test('a copy after a later one of the same sender is out of order; twice is a duplicate', () => {
  const { ledger, b, tags } = chat(3);
  ledger.copied(tags[0], 2, b, 10);
  ledger.copied(tags[2], 2, b, 10);
  ledger.copied(tags[1], 2, b, 10);
  ledger.copied(tags[1], 2, b, 10);
  const r = ledger.result();
  assert.equal(r.outOfOrder, 1);
  assert.equal(r.duplicated, 1);
  assert.equal(r.delivered, 3);
});

test('a missing message is lost unless the bot counted it as dropped', () => {
  const { ledger, b, tags } = chat(3);
  ledger.copied(tags[0], 2, b, 10);
  assert.equal(ledger.result().lost, 2);
  const counted = ledger.result({ sure: 2, unsure: 0 });
  assert.equal(counted.lost, 0);
  assert.equal(counted.dropped, 2);
  assert.equal(ledger.result({ sure: 3, unsure: 0 }).ruleViolations['drops-exceed-missing'], 1);
});

test('a copy a dying sender had in flight may explain a missing message, or none', () => {
  const { ledger, b, tags } = chat(3);
  ledger.copied(tags[0], 2, b, 10);
  // One sure drop and two the bot cannot vouch for, against two missing messages.
  const r = ledger.result({ sure: 1, unsure: 2 });
  assert.equal(r.lost, 0);
  assert.equal(r.dropped, 2);
  assert.deepEqual(r.ruleViolations, {});
  assert.equal(ledger.result({ sure: 0, unsure: 1 }).lost, 1, 'beyond them, still lost');
});

test('a copy at the sender, or at someone outside the chat, is misrouted', () => {
  const { ledger, a, tags } = chat(2);
  ledger.copied(tags[0], 1, a, 10);
  ledger.copied(tags[1], 3, null, 10);
  assert.equal(ledger.result().misrouted, 2);
});

test('a copy that reaches the right person after their chat ended is late, not misrouted', () => {
  const { ledger, b, tags } = chat(3);
  ledger.copied(tags[0], 2, b, 10);
  // b was told the chat ended and is in a chat with someone else when the rest arrive.
  const next = ledger.open(2);
  ledger.copied(tags[1], 2, null, 20);
  ledger.copied(tags[2], 2, next, 30);
  const r = ledger.result();
  assert.deepEqual([r.delivered, r.lost, r.misrouted, r.late], [3, 0, 0, 2]);
  assert.equal(next.from, -1, 'the next chat is not credited with them');
});

test('a copy at a user the sender never talked to is misrouted even when late', () => {
  const { ledger, b, tags } = chat(2);
  ledger.copied(tags[0], 2, b, 10);
  ledger.copied(tags[1], 3, ledger.open(3), 20);
  const r = ledger.result();
  assert.deepEqual([r.misrouted, r.late], [1, 0]);
});
