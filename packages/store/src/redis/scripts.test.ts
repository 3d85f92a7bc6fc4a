import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReplyRef, renderReply } from '@hamdam/domain';
import { SCRIPTS } from './script-runner.js';

test('no script trims the journal: a record leaves it only once Postgres has it', () => {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    for (const [call] of lua.matchAll(/redis\.call\('X[A-Z]+'[^\n]*/g)) {
      assert.doesNotMatch(call, /MAXLEN|MINID|XTRIM|XDEL/, `${name}: ${call}`);
    }
  }
});

test('every reply a script can queue is in the catalogue and renders', () => {
  const names = new Set<string>();
  for (const lua of Object.values(SCRIPTS)) {
    for (const [, ref] of lua.matchAll(/'(@[^']*)'/g)) names.add(ref!);
  }
  assert.ok(names.size >= 5, `found the scripts' replies (${[...names].join(', ')})`);
  for (const ref of names) {
    assert.notEqual(parseReplyRef(ref), null, `${ref} is in the catalogue`);
    for (const lang of ['fa', 'en'] as const) {
      const call = renderReply(ref, lang);
      assert.ok(call && String(call.params['text']).length > 0, `${ref} has wording in ${lang}`);
    }
  }
});
