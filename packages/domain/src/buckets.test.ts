import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accepts, bucketOf, compatibleBuckets } from './buckets.js';
import { GENDERS, WANTS, type Profile } from './profile.js';

const everyone: Profile[] = [];
for (const gender of [...GENDERS, null])
  for (const wants of WANTS) everyone.push({ gender, wants });

test('compatibleBuckets lists exactly the buckets of mutually accepting profiles', () => {
  for (const me of everyone) {
    const expected = new Set(everyone.filter((other) => accepts(me, other)).map(bucketOf));
    assert.deepEqual(new Set(compatibleBuckets(me)), expected, `for ${bucketOf(me)}`);
  }
});

test('matching is symmetric', () => {
  for (const a of everyone)
    for (const b of everyone) {
      assert.equal(
        compatibleBuckets(a).includes(bucketOf(b)),
        compatibleBuckets(b).includes(bucketOf(a)),
      );
    }
});

test('a user without a gender meets only people who accept anyone', () => {
  assert.deepEqual(compatibleBuckets({ gender: null, wants: 'f' }), ['f:any']);
  assert.equal(accepts({ gender: null, wants: 'any' }, { gender: 'm', wants: 'f' }), false);
});
