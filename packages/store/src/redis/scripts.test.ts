import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReplyRef, renderReply } from '@hamdam/domain';
import { SCRIPTS } from './script-runner.js';

test('every reply a script can queue is in the catalogue and renders', () => {
  const names = new Set<string>();
  for (const lua of Object.values(SCRIPTS)) {
    for (const [, ref] of lua.matchAll(/'(@[^']*)'/g)) names.add(ref!);
  }
  assert.ok(names.size >= 5, `found the scripts' replies (${[...names].join(', ')})`);
  for (const ref of names) {
    const name = parseReplyRef(ref);
    assert.notEqual(name, null, `${ref} is in the catalogue`);
    const call = renderReply(name!);
    assert.equal(call.method, 'sendMessage');
    assert.ok(String(call.params['text']).length > 0, `${ref} has wording`);
  }
});
