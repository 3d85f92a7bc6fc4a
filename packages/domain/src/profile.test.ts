import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accepts, bandOf, languageFromCode, parseAge, type Profile } from './profile.js';

test('an age is digits in Latin, Persian or Arabic-Indic script, from 13 to 99', () => {
  assert.equal(parseAge('27'), 27);
  assert.equal(parseAge(' ۲۷ '), 27);
  assert.equal(parseAge('٤٥'), 45);
  for (const bad of ['', 'twenty', '12', '100', '2 7', '-20', '27.5', '0027']) {
    assert.equal(parseAge(bad), null, JSON.stringify(bad));
  }
});

test("Telegram's language code preselects Persian or English", () => {
  assert.equal(languageFromCode('fa'), 'fa');
  assert.equal(languageFromCode('fa-IR'), 'fa');
  assert.equal(languageFromCode('en-GB'), 'en');
  assert.equal(languageFromCode('de'), 'en');
  assert.equal(languageFromCode(null), 'en');
});

const base: Profile = {
  lang: 'fa',
  gender: 'm',
  age: 30,
  wants: 'any',
  ageMin: 18,
  ageMax: 99,
  sameLanguage: false,
  protect: false,
};

test('acceptance is mutual and every filter counts', () => {
  const her = { ...base, gender: 'f' as const, age: 26 };
  assert.equal(accepts(base, her), true);
  assert.equal(accepts(base, { ...her, wants: 'f' }), false, 'she wants women');
  assert.equal(accepts({ ...base, ageMin: 35, ageMax: 99 }, her), false, 'too young for him');
  assert.equal(accepts(base, { ...her, ageMin: 35, ageMax: 44 }), false, 'too young for her');
  assert.equal(accepts(base, { ...her, lang: 'en', sameLanguage: true }), false, 'language');
  assert.equal(accepts(base, { ...her, lang: 'en' }), true);
  assert.equal(accepts(her, base), accepts(base, her));
});

test('minors meet only minors, whatever the filters', () => {
  const minor = { ...base, age: 16, ageMin: 13, ageMax: 99 };
  assert.equal(accepts(minor, base), false);
  assert.equal(accepts(minor, { ...minor, age: 15 }), true);
  assert.equal(bandOf(16), 't');
  assert.equal(bandOf(18), 'a');
  assert.equal(bandOf(99), 'd');
});
