import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { EmbeddedLua, FIELD_SEPARATOR } from './embedded-lua.js';
import { mockModule } from './mock-commands.js';

let hosts = 0;
function engine(): { lua: EmbeddedLua; mock: Redis } {
  const mock = new (mockModule().RedisMock)({ host: `embedded-lua-test-${hosts++}` });
  return { lua: new EmbeddedLua(mock), mock };
}

const LIBRARY = `#!lua name=greet
local function hello(keys, args)
  redis.call('SET', keys[1], args[1])
  return {keys[1], redis.call('GET', keys[1])}
end
redis.register_function('hello', hello)
redis.register_function{function_name = 'version', callback = function() return 1 end}
`;

describe('EmbeddedLua: functions', () => {
  it('loads a library once and calls its functions with keys and args', () => {
    const { lua } = engine();
    assert.equal(lua.functionLoad(LIBRARY, false), 'greet');
    assert.deepEqual(lua.fcall('hello', ['k'], ['v']), ['k', 'v']);
    assert.deepEqual(lua.fcall('hello', ['k'], ['w']), ['k', 'w']);
    assert.equal(lua.fcall('version', [], []), 1);
    assert.equal(lua.compilations, 1);
  });

  it('replaces a library only when asked, dropping its old functions', () => {
    const { lua } = engine();
    lua.functionLoad(LIBRARY, false);
    assert.throws(() => lua.functionLoad(LIBRARY, false), {
      name: 'ReplyError',
      message: "ERR Library 'greet' already exists",
    });
    const v2 = "#!lua name=greet\nredis.register_function('version', function() return 2 end)";
    lua.functionLoad(v2, true);
    assert.equal(lua.fcall('version', [], []), 2);
    assert.throws(() => lua.fcall('hello', ['k'], ['v']), { message: 'ERR Function not found' });
  });

  it('answers an unknown function with the words Redis uses', () => {
    assert.throws(() => engine().lua.fcall('nothing', [], []), {
      name: 'ReplyError',
      message: 'ERR Function not found',
    });
  });

  it('refuses a library without metadata, with a bad one, or that fails while loading', () => {
    const { lua } = engine();
    const fn = "redis.register_function('f', function() return 1 end)";
    assert.throws(() => lua.functionLoad(fn, false), { message: 'ERR Missing library metadata' });
    assert.throws(() => lua.functionLoad(`#!python name=x\n${fn}`, false), {
      message: "ERR Engine 'python' not found",
    });
    assert.throws(() => lua.functionLoad(`#!lua\n${fn}`, false), {
      message: 'ERR Library name was not given',
    });
    assert.throws(() => lua.functionLoad('#!lua name=x\nlocal y = 1', false), {
      message: 'ERR No functions registered',
    });
    assert.throws(() => lua.functionLoad(`#!lua name=x\n${fn}\nerror('half-way')`, false), {
      message: 'ERR Error registering functions: user_function:3: half-way',
    });
    assert.throws(() => lua.fcall('f', [], []), { message: 'ERR Function not found' });
    assert.throws(
      () => lua.functionLoad('#!lua name=x\nlocal = 1', false),
      (err: Error) => err.message.startsWith('ERR Error compiling function: user_function:2:'),
    );
  });

  it('refuses a function another library already registered', () => {
    const { lua } = engine();
    lua.functionLoad(LIBRARY, false);
    const other = "#!lua name=other\nredis.register_function('hello', function() return 1 end)";
    assert.throws(() => lua.functionLoad(other, false), {
      message: 'ERR Function hello already exists',
    });
  });
});

describe('EmbeddedLua: eval', () => {
  it('compiles a script once and runs it with fresh KEYS and ARGV every call', () => {
    const { lua } = engine();
    const script = 'return {KEYS[1], ARGV[1], #ARGV}';
    assert.deepEqual(lua.eval(script, ['a'], ['1', '2']), ['a', '1', 2]);
    assert.deepEqual(lua.eval(script, ['b'], []), ['b']);
    assert.equal(lua.compilations, 1);
    lua.eval('return 1', [], []);
    assert.equal(lua.compilations, 2);
  });

  it('keeps globals closed as Redis does: no new ones, no reading an undefined one', () => {
    const { lua } = engine();
    assert.throws(() => lua.eval('leak = 1', [], []), {
      name: 'ReplyError',
      message: "ERR user_script:1: Script attempted to create global variable 'leak'",
    });
    assert.throws(() => lua.eval('return leak', [], []), {
      message: "ERR user_script:1: Script attempted to access nonexistent global variable 'leak'",
    });
  });

  it('throws a Lua error as an ERR reply carrying the Lua message and line', () => {
    const { lua } = engine();
    assert.throws(() => lua.eval("local x = 1\nerror('went wrong')", [], []), {
      name: 'ReplyError',
      message: 'ERR user_script:2: went wrong',
    });
    assert.throws(() => lua.eval("return redis.error_reply('MINE it failed')", [], []), {
      message: 'MINE it failed',
    });
    assert.throws(
      () => lua.eval("redis.call('DECRBY', 'n')", [], []),
      (err: Error) => err.message.startsWith('ERR wrong number of arguments'),
    );
  });

  it('lets redis.pcall answer an error reply instead of raising it', () => {
    const { lua } = engine();
    const reply = lua.eval("local r = redis.pcall('DECRBY', 'n') return type(r.err)", [], []);
    assert.equal(reply, 'string');
  });

  it('answers as Redis: false for nil, integers for whole numbers, lists for tables', () => {
    const { lua } = engine();
    assert.deepEqual(lua.eval("return redis.call('HMGET', 'none', 'a', 'b')", [], []), [
      null,
      null,
    ]);
    const types = lua.eval(
      "local r = redis.call('HMGET', 'none', 'a') return {type(r[1]), tostring(r[1])}",
      [],
      [],
    );
    assert.deepEqual(types, ['boolean', 'false']);
    assert.deepEqual(lua.eval("return {redis.call('GET', 'none')}", [], []), [null]);
    assert.equal(lua.eval("return tostring(redis.call('INCR', 'n'))", [], []), '1');
    assert.equal(lua.eval("return redis.status_reply('OK')", [], []), 'OK');
    assert.deepEqual(lua.eval('return {1, {2, {"x"}}, 3.9, true, false}', [], []), [
      1,
      [2, ['x']],
      3,
      1,
      null,
    ]);
    assert.equal(lua.eval('return nil', [], []), null);
  });

  it('passes numbers to commands as their Redis text', () => {
    const { lua } = engine();
    lua.eval("redis.call('HSET', 'h', 'a', 5, 'b', 5.0, 'c', 2.5, 'd', 2^40)", [], []);
    assert.deepEqual(lua.eval("return redis.call('HGETALL', 'h')", [], []), [
      ...['a', '5', 'b', '5', 'c', '2.5', 'd', '1099511627776'],
    ]);
    assert.equal(lua.eval("redis.call('SET', 's', 7) return redis.call('GET', 's')", [], []), '7');
  });

  it('answers TIME from the wall clock, as text, as Redis does', () => {
    const { lua } = engine();
    const before = Date.now();
    const [seconds, micros] = lua.eval("return redis.call('TIME')", [], []) as [string, string];
    const after = Date.now();
    assert.match(seconds, /^\d+$/);
    assert.match(micros, /^\d{1,6}$/);
    const ms = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    assert.ok(ms >= before && ms <= after, `${ms} in [${before}, ${after}]`);
    // The library reads milliseconds from that text (base.lua): a float, as fengari's integers
    // have 32 bits, too few for milliseconds since 1970.
    const now = lua.eval(
      "local t = redis.call('TIME') return tostring(tonumber(t[1] .. string.sub('00000' .. t[2], -6, -4)))",
      [],
      [],
    );
    assert.ok(Math.abs(Number(String(now).replace(/\.0$/, '')) - Date.now()) < 1000);
  });

  it('turns XADD into a numbered list entry and XLEN into LLEN, for EmbeddedJournal', async () => {
    const { lua, mock } = engine();
    const seqs = lua.eval(
      `return {
        redis.call('XADD', KEYS[1], 'MAXLEN', '~', 1000, '*', 'kind', 'chat', 'n', 3),
        redis.call('XADD', KEYS[1], '*', 'kind', 'end'),
        redis.call('XLEN', KEYS[1])}`,
      ['journal'],
      [],
    );
    assert.deepEqual(seqs, [1, 2, 2]);
    assert.deepEqual(await mock.lrange('journal', 0, -1), [
      ['1', 'kind', 'chat', 'n', '3'].join(FIELD_SEPARATOR),
      ['2', 'kind', 'end'].join(FIELD_SEPARATOR),
    ]);
    assert.equal(await mock.get('journal:seq'), '2');
  });

  it('shares one dataset with the ordinary ioredis-mock commands, both ways', async () => {
    const { lua, mock } = engine();
    await mock.hset('user:1', 'name', 'ali', 'age', '30');
    await mock.zadd('queue', 5, 'a', 7, 'b');
    assert.deepEqual(lua.eval("return redis.call('HGETALL', KEYS[1])", ['user:1'], []), [
      ...['name', 'ali', 'age', '30'],
    ]);
    assert.deepEqual(lua.eval("return redis.call('ZRANGE', 'queue', 0, -1)", [], []), ['a', 'b']);
    lua.eval(
      "redis.call('HSET', 'user:2', 'name', 'sara') redis.call('RPUSH', 'list', 'x', 'y')",
      [],
      [],
    );
    assert.deepEqual(await mock.hgetall('user:2'), { name: 'sara' });
    assert.deepEqual(await mock.lrange('list', 0, -1), ['x', 'y']);
  });

  it('encodes and decodes JSON as lua-cjson does', () => {
    const { lua } = engine();
    const encode = (expr: string): unknown => lua.eval(`return cjson.encode(${expr})`, [], []);
    assert.equal(encode('{1, 2, 3}'), '[1,2,3]');
    assert.equal(encode('{}'), '{}');
    assert.deepEqual(JSON.parse(String(encode("{a = 1, b = 'x'}"))), { a: 1, b: 'x' });
    assert.deepEqual(JSON.parse(String(encode("{[1] = 'a', x = true}"))), { 1: 'a', x: true });
    assert.equal(encode('{5, 2.5, 2^40, 3.0}'), '[5,2.5,1099511627776,3]');
    assert.equal(encode('{1, nil, 3}'), '[1,null,3]');
    assert.equal(encode('{cjson.null, false}'), '[null,false]');
    assert.throws(() => encode('{[1] = 1, [100] = 2}'), /excessively sparse/);
    assert.throws(() => encode('{f = print}'), /Cannot serialise function/);
    const json = '{"a":[1,2.5,"x",null,{"b":true}],"n":-3}';
    assert.deepEqual(
      JSON.parse(String(lua.eval('return cjson.encode(cjson.decode(ARGV[1]))', [], [json]))),
      JSON.parse(json),
    );
    const decoded = lua.eval(
      `local v = cjson.decode(ARGV[1])
       return {v.a[1], tostring(v.a[2]), tostring(v.a[4] == cjson.null), tostring(v.n), #v.a}`,
      [],
      [json],
    );
    assert.deepEqual(decoded, [1, '2.5', 'true', '-3', 5]);
  });

  it('offers the rest of the Redis Lua API', () => {
    const { lua } = engine();
    assert.equal(
      lua.eval("return redis.sha1hex('')", [], []),
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    );
    assert.equal(lua.eval("redis.log(redis.LOG_WARNING, 'x') return unpack({4, 5})", [], []), 4);
    assert.throws(() => lua.eval("return redis.call('NOSUCH')", [], []), {
      message: 'ERR Unknown Redis command called from script',
    });
    assert.throws(() => lua.eval("return redis.call('EVAL', 'return 1', 0)", [], []), {
      message: 'ERR Unknown Redis command called from script',
    });
    assert.throws(() => lua.eval("return redis.call('SET', 'k', {})", [], []), {
      message: 'ERR Lua redis lib command arguments must be strings or integers',
    });
  });
});
