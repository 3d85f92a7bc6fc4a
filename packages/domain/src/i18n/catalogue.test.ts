import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUES, buttonKey, placeholders, t } from './catalogue.js';

test('every language has every key, with the same placeholders', () => {
  const [first, ...rest] = Object.entries(CATALOGUES);
  const [firstLang, reference] = first!;
  for (const [lang, catalogue] of rest) {
    assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(reference).sort(), `${lang} keys`);
    for (const [key, text] of Object.entries(reference)) {
      const other = catalogue[key as keyof typeof reference];
      assert.ok(other.trim().length > 0, `${lang}.${key} is empty`);
      assert.deepEqual(placeholders(other), placeholders(text), `${lang}.${key} vs ${firstLang}`);
    }
  }
});

test('the Persian catalogue is in Persian', () => {
  const persian = /[\u0600-\u06ff]/;
  for (const [key, text] of Object.entries(CATALOGUES.fa)) {
    if (key === 'value.lang.en') continue;
    assert.match(text, persian, `fa.${key}`);
  }
});

test('placeholders are filled, and a missing one stays visible', () => {
  assert.equal(t('en', 'admin.unbanned', { id: 42 }), 'User 42 is unbanned.');
  assert.match(t('fa', 'banned', { until: '2026-12-01 10:00' }), /2026-12-01 10:00/);
  assert.match(t('en', 'banned'), /\{until\}/);
});

test('button texts are told apart in both languages and never clash', () => {
  const seen = new Map<string, string>();
  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    for (const [key, text] of Object.entries(catalogue)) {
      if (!key.startsWith('button.')) continue;
      assert.equal(buttonKey(text), key, `${lang}.${key}`);
      const clash = seen.get(text);
      assert.ok(clash === undefined || clash === key, `${text} is both ${clash} and ${key}`);
      seen.set(text, key);
    }
  }
  assert.equal(buttonKey('hello'), null);
});
