import { test } from 'node:test';
import type { Redis } from 'ioredis';
import assert from 'node:assert/strict';
import { accepts, AGE, type Profile } from '@hamdam/domain';
import { EmbeddedLua } from '../embedded/embedded-lua.js';
import { createEmbeddedRedis } from '../embedded/embedded-redis.js';
import { DEFAULT_STORE_LIMITS, type StoreLimits } from '../state-store.js';
import { LIBRARY_SOURCE } from './library.js';
import { limitsText } from './lua-runner.js';

// The library's helpers, unit by unit, run through the embedded engine: a few test functions
// are appended to the library (same chunk, so they reach its locals) and called like any other.
const TEST_FUNCTIONS = `
local function profileFrom(a)
  return {gender = a.gender, wants = a.wants, lang = a.lang, xl = a.xl, age = a.age,
    amin = a.amin, amax = a.amax, wd = a.wd}
end
local PROFILE_ARGS = {'gender', 'wants', 'lang', 'xl', 'age', 'amin', 'amax', 'wd'}
fn('t_bucket', PROFILE_ARGS, function(a) return bucketOf(profileFrom(a)) end)
-- Would a finder (f) read the bucket a waiting user (w) waits in? The profile arguments of
-- both, f's first.
fn('t_reads', {'f', 'w'}, function(a)
  local f, w = cjson.decode(a.f), cjson.decode(a.w)
  local base, part = splitBucket(bucketOf(w))
  if not rangeHas(part, bandOf(tonumber(f.age))) then return 0 end
  for _, b in ipairs(candidates(f)) do if b == base then return 1 end end
  return 0
end)
fn('t_flood', {'chat', 'group'}, function(a)
  local uk = ukey(a.chat)
  local f = floodState(redis.call('HGET', uk, 'fl'))
  f.key = uk
  local stopped = flooded(a.chat, f, a.group)
  if not stopped then saveFlood(a.chat, f) end
  keepGate(f)
  return {stopped and 1 or 0, f.later and 1 or 0, redis.call('LLEN', P .. K.notices .. a.chat)}
end)
-- The flood bucket a user's hash holds ('' leaves it as it is), after it is set to fl.
fn('t_fl', {'chat', 'fl'}, function(a)
  local uk = ukey(a.chat)
  if a.fl ~= '' then redis.call('HSET', uk, 'fl', a.fl) end
  return redis.call('HGET', uk, 'fl') or ''
end)
fn('t_nowms', {}, function() return nowText end)
-- An update of chat through the gate (queue 'm'); answers the user's time among those online.
fn('t_gate', {'chat', 'update'}, function(a)
  local stop, f = gate(a.chat, 'm', a.update, 3600000, '', nil, {'', 'fl', 'ix', 'n'})
  keepGate(f)
  return {stop and stop[1] or 'passed', redis.call('ZSCORE', P .. K.active, a.chat) or ''}
end)
fn('t_isEntry', {'entry', 'id'}, function(a) return isEntry(a.entry, a.id) and 1 or 0 end)
fn('t_before', {'a', 'b'}, function(a) return idBefore(a.a, a.b) and 1 or 0 end)
fn('t_pace', {'chat'}, function(a)
  local later = pace(a.chat, true)
  if later == 0 then return 0 end
  return int(later - now)
end)
fn('t_entry', {'entry', 'sending'}, function(a)
  local id, e, payload, mark = entryParts(a.entry, a.sending == '1')
  return {id or '', e and cjson.encode(e) or '', payload or '', mark or ''}
end)
`;

function engine(limits: Partial<StoreLimits> = {}) {
  const lua = new EmbeddedLua(createEmbeddedRedis() as Redis);
  lua.functionLoad(`${LIBRARY_SOURCE}\n${TEST_FUNCTIONS}`, false);
  const head = ['t:{u}:', limitsText({ ...DEFAULT_STORE_LIMITS, ...limits })];
  return (name: string, ...args: (string | number)[]) =>
    lua.fcall(name, ['t:{u}:ready'], [...head, ...args.map(String)]);
}

const luaProfile = (p: Profile) => ({
  gender: p.gender,
  wants: p.wants,
  lang: p.lang,
  xl: p.sameLanguage ? 's' : 'a',
  age: String(p.age),
  amin: String(p.ageMin),
  amax: String(p.ageMax),
  wd: '',
});

test('a bucket names every filter of its profile, the accepted ages as whole bands', () => {
  const call = engine();
  const args = (p: Record<string, string>) =>
    ['gender', 'wants', 'lang', 'xl', 'age', 'amin', 'amax', 'wd'].map((k) => p[k] ?? '');
  const man = { gender: 'm', wants: 'any', lang: 'fa', xl: 's', age: '25', amin: '18', amax: '99' };
  assert.equal(call('t_bucket', ...args(man)), 'm:any:fa:s:b:ad');
  assert.equal(call('t_bucket', ...args({ ...man, amin: '25', amax: '34' })), 'm:any:fa:s:b:bb');
  // A widened user accepts every age of their group and every language.
  assert.equal(
    call('t_bucket', ...args({ ...man, amin: '25', amax: '34', wd: '1' })),
    'm:any:fa:a:b:ad',
  );
  const minor = { gender: 'f', wants: 'm', lang: 'en', xl: 'a', age: '15', amin: '13', amax: '17' };
  assert.equal(call('t_bucket', ...args(minor)), 'f:m:en:a:t:tt');
});

test("a finder reads a waiting user's bucket exactly when the two accept each other", () => {
  const call = engine();
  let seed = 7;
  const pick = <T>(xs: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return xs[seed % xs.length]!;
  };
  const ranges = [
    [18, 99],
    [18, 24],
    [25, 44],
    [35, 99],
  ] as const;
  const profile = (): Profile => {
    const age = pick([13, 15, 17, 18, 22, 30, 40, 60]);
    const [ageMin, ageMax] = age < 18 ? [AGE.min, 17] : pick(ranges);
    return {
      lang: pick(['fa', 'en'] as const),
      gender: pick(['m', 'f'] as const),
      age,
      wants: pick(['m', 'f', 'any'] as const),
      ageMin,
      ageMax,
      sameLanguage: pick([true, false]),
      protect: false,
    };
  };
  let both = 0;
  for (let i = 0; i < 400; i++) {
    const f = profile();
    const w = profile();
    const reads = call('t_reads', JSON.stringify(luaProfile(f)), JSON.stringify(luaProfile(w)));
    const mutual = accepts(f, w);
    if (mutual) both++;
    assert.equal(reads === 1, mutual, `finder ${JSON.stringify(f)} / waiting ${JSON.stringify(w)}`);
  }
  assert.ok(both > 20, `enough pairs accepted each other (${both})`);
});

test('the flood bucket: a burst, then stopped and told once; an album pays for its first part', () => {
  const call = engine({ floodBurst: 3, floodPerMinute: 1 });
  for (let i = 0; i < 3; i++) assert.deepEqual(call('t_flood', 1, ''), [0, 0, 0]);
  // Over the budget: stopped, and told to slow down once, not once per update.
  assert.deepEqual(call('t_flood', 1, ''), [1, 0, 1]);
  assert.deepEqual(call('t_flood', 1, ''), [1, 0, 1]);
  // An album's later parts cost nothing and share the first part's fate.
  assert.deepEqual(call('t_flood', 2, 'g1'), [0, 0, 0]);
  for (let i = 0; i < 9; i++) assert.deepEqual(call('t_flood', 2, 'g1'), [0, 1, 0]);
  // Telegram's albums have at most ten parts: an eleventh is a new message.
  assert.deepEqual(call('t_flood', 2, 'g1'), [0, 0, 0]);
});

test('the flood bucket is kept as when it is full again, and its earlier form reads the same', () => {
  const call = engine({ floodBurst: 3, floodPerMinute: 60 });
  const now = Number(call('t_nowms'));
  // Written as "=full:told:capt:parts:group": two tokens taken, full again two seconds on.
  call('t_flood', 1, '');
  call('t_flood', 1, '');
  const [full, ...rest] = (call('t_fl', 1, '') as string).slice(1).split(':');
  assert.ok(Number(full) >= now + 2000 && Number(full) < now + 3000, `full at ${full}`);
  assert.deepEqual(rest, ['0', '0', '1', '']);
  // "tokens:ts:told:capt:parts:group", as written before: no token left a moment ago.
  call('t_fl', 2, `0:${now}:0:0:1:`);
  assert.deepEqual(call('t_flood', 2, ''), [1, 0, 1], 'stopped and told');
  assert.match(call('t_fl', 2, '') as string, /^=\d+:1:0:-1:$/);
  // ...and a full one, an hour old: every token of the burst is there.
  call('t_fl', 3, `3:${now - 3_600_000}:1:0:1:`);
  for (let i = 0; i < 3; i++) assert.deepEqual(call('t_flood', 3, ''), [0, 0, 0]);
  assert.deepEqual(call('t_flood', 3, ''), [1, 0, 1]);
});

test('per-chat pacing: a burst goes at once, the next waits about one token', () => {
  const call = engine({ chatBurst: 2, chatRatePerSec: 1 });
  assert.equal(call('t_pace', 5), 0);
  assert.equal(call('t_pace', 5), 0);
  const wait = Number(call('t_pace', 5));
  assert.ok(wait > 900 && wait <= 1000, `waits about a second (${wait} ms)`);
  assert.equal(call('t_pace', 6), 0, 'another chat has its own bucket');
});

test("outbox entries: the library's JSON, marks, and the separated form written before it", () => {
  const call = engine();
  const copy = '{"k":"copy","from":"-5","ids":["1","2"],"due":"0"}';
  assert.deepEqual(call('t_entry', `12 ${copy}`), [
    '12',
    JSON.stringify(JSON.parse(copy)),
    copy,
    '',
  ]);
  const [id, e, , mark] = call('t_entry', `#12 ${copy}`) as string[];
  assert.deepEqual([id, mark, (JSON.parse(e!) as { ids: string[] }).ids], ['12', '#', ['1', '2']]);
  assert.deepEqual(call('t_entry', '3 @welcome?kb=main'), ['3', '', '@welcome?kb=main', '']);
  // Written before the library: read as today's form.
  const old = call('t_entry', '%7 ~-5|1,2|g|3|1|0') as string[];
  assert.equal(old[3], '%');
  assert.deepEqual(JSON.parse(old[1]!), {
    k: 'copy',
    from: '-5',
    ids: ['1', '2'],
    group: 'g',
    reply: '3',
    prot: true,
    due: '0',
  });
  const bc: unknown = JSON.parse(
    (call('t_entry', '8 !4|{"method":"sendMessage"}') as string[])[1]!,
  );
  assert.deepEqual(bc, { k: 'bc', bc: '4', call: '{"method":"sendMessage"}' });
  // Taken for sending, a plain copy is not decoded, nor its payload cut out; anything else is.
  assert.deepEqual(call('t_entry', `#12 ${copy}`, '1'), ['12', '{"k":"copy","due":"0"}', '', '#']);
  const album = '{"k":"copy","from":"-5","ids":["1"],"group":"g","due":"99"}';
  assert.deepEqual((call('t_entry', `4 ${album}`, '1') as string[])[2], album);
  assert.deepEqual(call('t_entry', '3 @welcome?kb=main', '1'), ['3', '', '@welcome?kb=main', '']);
  // What reads as nothing is handed out as it is: the sender drops and counts it.
  assert.deepEqual(call('t_entry', 'garbage'), ['', '', '', '']);
  assert.deepEqual((call('t_entry', '9 ~broken') as string[])[1], '');
});

test('an entry is known by its whole id, marked or not', () => {
  const call = engine();
  const is = (entry: string, id: string) => call('t_isEntry', entry, id) === 1;
  assert.ok(is('12 @welcome', '12'));
  assert.ok(is('#12 {"k":"copy"}', '12'));
  assert.ok(is('%12 {"k":"copy"}', '12'));
  assert.ok(!is('12 @welcome', '1'), 'a prefix of the id is another entry');
  assert.ok(!is('123 @welcome', '12'));
  assert.ok(!is('#5 {"ids":["12 "]}', '12'), 'the id anywhere else in the entry is not it');
  assert.ok(!is('12', '12'), 'an entry without a payload is not one');
});

test("a user's time among those online is never ten seconds stale while their updates keep coming", (t) => {
  let clock = 1_700_000_000_000;
  t.mock.method(Date, 'now', () => clock);
  const call = engine();
  for (let i = 0; i < 10; i++) {
    const [passed, online] = call('t_gate', 9, 1000 + i) as [string, string];
    assert.equal(passed, 'passed');
    assert.ok(
      clock - Number(online) < 10_000,
      `at +${i * 6} s the time online is ${clock - Number(online)} ms old`,
    );
    clock += 6_000;
  }
  // A redelivered update changes nothing.
  assert.equal((call('t_gate', 9, 1005) as string[])[0], 'duplicate');
});

test('chat ids are ordered as numbers, read as text', () => {
  const call = engine();
  const ids = [
    -1002003, -99, -5, -3, 0, 3, 9, 10, 12, 99, 100, 777000, 1_000_000_007, 7_000_000_001,
  ];
  for (const a of ids) {
    for (const b of ids) {
      assert.equal(call('t_before', a, b) === 1, a < b, `${a} before ${b}`);
    }
  }
});
