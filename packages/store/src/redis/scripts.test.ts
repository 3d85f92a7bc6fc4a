import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReplyRef, renderReply } from '@hamdam/domain';
import { LIBRARY_SOURCE } from './library.js';

/** The library without its comments. */
const CODE = LIBRARY_SOURCE.replace(/--[^\n]*/g, '');

test('no function trims the journal: a record leaves it only once Postgres has it', () => {
  const calls = [...CODE.matchAll(/redis\.call\('X[A-Z]+'[^\n]*/g)].map(([c]) => c);
  assert.ok(calls.length > 0, 'found the stream commands');
  for (const call of calls) assert.doesNotMatch(call, /MAXLEN|MINID|XTRIM|XDEL/, call);
});

test('every reply the library can queue is in the catalogue and renders', () => {
  const names = new Set<string>();
  // '@name' as it is; ref('name', ...) and answerPress(me, query, 'name') with arguments, the
  // name maybe chosen by a condition ("admin and 'x' or 'y'").
  for (const [, name] of CODE.matchAll(/'@(\w+)/g)) names.add(name!);
  for (const [, first] of CODE.matchAll(/\bref\(([^,)]*)/g)) {
    for (const [, name] of first!.matchAll(/'(\w+)'/g)) names.add(name!);
  }
  for (const [, name] of CODE.matchAll(/answerPress\([^,]*,[^,]*, '(\w+)'\)/g)) names.add(name!);
  assert.ok(names.size >= 40, `found the library's replies (${[...names].join(', ')})`);
  for (const name of names) {
    const ref = `@${name}`;
    assert.notEqual(parseReplyRef(ref), null, `${ref} is in the catalogue`);
    for (const lang of ['fa', 'en'] as const) {
      const call = renderReply(ref, lang);
      assert.ok(call && String(call.params['text']).length > 0, `${ref} has wording in ${lang}`);
    }
  }
});
