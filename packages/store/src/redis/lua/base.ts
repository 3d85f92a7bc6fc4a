import { replyRef, type ReplyName } from '@hamdam/domain';
import { LIMIT_ORDER } from '../../state-store.js';
import { KEY } from '../keys.js';

/** A catalogue reply as a Lua string literal, its name checked against the catalogue. */
export const say = (name: ReplyName): string => `'${replyRef(name)}'`;

/**
 * The head of every script: the prefix (ARGV[1]), the limits (ARGV[2], see LIMIT_ORDER), the
 * clock, and the small helpers every rule uses. KEYS[1] is always the outbox schedule, declared
 * so a Cluster client routes the script to the prefix's slot.
 *
 * Redis does not roll a script back when it fails half-way, so each script reads and checks
 * everything before its first write.
 */
export const BASE = `
local P = ARGV[1]
local C = {}
do
  local names = {${LIMIT_ORDER.map((n) => `'${n}'`).join(', ')}}
  local i = 1
  for v in string.gmatch(ARGV[2], '[^,]+') do C[names[i]] = tonumber(v) i = i + 1 end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function ukey(chat) return P .. '${KEY.user}' .. chat end
-- A whole number as text, the same on every engine (a float would read "1.0" on Lua 5.3).
local function int(n) return string.format('%.0f', n) end
local function stat(field, n) redis.call('HINCRBY', P .. '${KEY.stats}', field, n) end

-- De-duplication: the highest update id taken from one Telegram queue, with when it was taken.
-- A jump no real traffic could make in the time since (a forged id) is taken as new but does not
-- move the mark, so it cannot make later real updates look old.
local function seen(queue, chat, upd)
  if upd == '' then return false end
  local k = P .. '${KEY.highWater}' .. queue .. ':' .. chat
  local v = redis.call('GET', k)
  local id = tonumber(upd)
  if v then
    local hw, at = string.match(v, '^(%d+):?(%d*)$')
    hw = tonumber(hw)
    if id <= hw then return true end
    local since = now - (tonumber(at) or now)
    if id - hw > 1000000 + since * 100 then return false end
  end
  redis.call('SET', k, upd .. ':' .. int(now), 'PX', 90000000)
  return false
end

local function schedule(chat, at)
  local ready = P .. '${KEY.ready}'
  local cur = redis.call('ZSCORE', ready, chat)
  if not cur or tonumber(cur) > at then redis.call('ZADD', ready, at, chat) end
end

-- What the bot says on its own goes ahead of relayed copies.
local function notice(chat, payload)
  local id = redis.call('INCR', P .. '${KEY.entrySeq}')
  redis.call('RPUSH', P .. '${KEY.notices}' .. chat, id .. ' ' .. payload)
  redis.call('ZADD', P .. '${KEY.ready}', 'NX', now, chat)
  stat('owed', 1)
end

local function copy(chat, payload)
  local id = redis.call('INCR', P .. '${KEY.entrySeq}')
  redis.call('RPUSH', P .. '${KEY.copies}' .. chat, id .. ' ' .. payload)
  redis.call('ZADD', P .. '${KEY.ready}', 'NX', now, chat)
  stat('owed', 1)
end

-- A broadcast's entry ("<id> !<broadcast>|<call>"): true when it belongs to the broadcast
-- running now, false when to one that ended (cancelled: it is not sent), nil when it is none.
-- An entry without a broadcast id (written before ids) belongs to the running one.
local function liveBroadcast(entry)
  local of = string.match(entry, '^%d+ !(%d*)')
  if not of then return nil end
  local b = redis.call('HMGET', P .. '${KEY.broadcast}', 'state', 'id')
  return b[1] == 'running' and (of == '' or of == b[2])
end

-- Every broadcast entry counts once, as delivered or not, so sent + failed reaches queued and
-- the broadcast finishes: whoever removes one from a list calls this.
local function countBroadcast(entry, failed)
  if liveBroadcast(entry) then
    redis.call('HINCRBY', P .. '${KEY.broadcast}', failed and 'failed' or 'sent', 1)
  end
end

-- Discards every notice still owed to a chat (its user blocked the bot); a broadcast's among
-- them count as not delivered.
local function dropNotices(chat)
  local k = P .. '${KEY.notices}' .. chat
  local owed = redis.call('LRANGE', k, 0, -1)
  if #owed == 0 then return end
  for _, entry in ipairs(owed) do countBroadcast(entry, true) end
  redis.call('DEL', k)
  stat('owed', -#owed)
end

-- Is this outbox entry ("<id> <payload>"; "#<id> <payload>" once a sender took it;
-- "%<id> <payload>" once its chat ended while it was taken) the one with this id?
local function isEntry(entry, id)
  local prefix = id .. ' '
  local mark = string.sub(entry, 1, 1)
  if mark == '#' or mark == '%' then return string.sub(entry, 2, #prefix + 1) == prefix end
  return string.sub(entry, 1, #prefix) == prefix
end

-- Copies still owed to a chat are dropped (its chat ended); returns how many. A copy a sender
-- already took (marked '#': it may be on its way right now) stays, since it cannot be taken
-- back; it is marked '%' instead: if this attempt fails, it is dropped rather than tried again,
-- so no copy of an ended chat ever arrives after the bot said the chat ended.
local function dropCopies(chat)
  local k = P .. '${KEY.copies}' .. chat
  local n = redis.call('LLEN', k)
  if n == 0 then return 0 end
  local head = redis.call('LINDEX', k, 0)
  if string.sub(head, 1, 1) == '#' then
    redis.call('LTRIM', k, 0, 0)
    redis.call('LSET', k, 0, '%' .. string.sub(head, 2))
    stat('owed', 1 - n)
    return n - 1
  end
  if string.sub(head, 1, 1) == '%' then redis.call('LTRIM', k, 0, 0) stat('owed', 1 - n) return n - 1 end
  redis.call('DEL', k)
  stat('owed', -n)
  return n
end

-- A taken copy whose chat ended ('%') and that was not delivered: dropped, and counted.
local function dropEnded(chat)
  local k = P .. '${KEY.copies}' .. chat
  local head = redis.call('LINDEX', k, 0)
  if not head or string.sub(head, 1, 1) ~= '%' then return false end
  redis.call('LPOP', k)
  stat('owed', -1)
  stat('dropped_end', 1)
  return true
end

local function timer(kind, chat, at) redis.call('ZADD', P .. '${KEY.timers}', at, kind .. ':' .. chat) end
local function untimer(kind, chat) redis.call('ZREM', P .. '${KEY.timers}', kind .. ':' .. chat) end
local function pairTimer(a, b) if tonumber(a) < tonumber(b) then return a end return b end

local function kbOf(state)
  if state == 'chatting' then return 'chat' elseif state == 'queued' then return 'searching' end
  return 'main'
end

-- Never trimmed: an entry leaves only when the flusher has stored it in Postgres and deletes
-- it, so a long Postgres outage costs Redis memory (watched: hamdam_journal_backlog), not
-- records.
local function journal(...)
  redis.call('XADD', P .. '${KEY.journal}', '*', 'at', now, ...)
end

-- Flood control: a token bucket per user, one string "tokens:ts:told:capt" (two commands a
-- message). A message over the limit is dropped, not queued, and the sender is told once per
-- burst (told again only after a message gets through). capt: told their partner is behind.
local function floodState(me)
  local v = redis.call('GET', P .. '${KEY.flood}' .. me)
  local tokens, ts, told, capt = C.floodBurst, now, '0', '0'
  if v then
    local a, b, c, d = string.match(v, '^([^:]*):([^:]*):([^:]*):([^:]*)$')
    if a then tokens, ts, told, capt = tonumber(a), tonumber(b), c, d end
  end
  return {tokens = math.min(C.floodBurst, tokens + (now - ts) * C.floodPerMinute / 60000), told = told, capt = capt}
end

local function saveFlood(me, f)
  redis.call('SET', P .. '${KEY.flood}' .. me, f.tokens .. ':' .. now .. ':' .. f.told .. ':' .. f.capt,
    'PX', math.ceil(C.floodBurst * 60000 / C.floodPerMinute) + 1000)
end

-- Takes a token for one message; true (and nothing taken) when the sender is over the limit.
local function flooded(me, f)
  if f.tokens < 1 then
    if f.told ~= '1' then
      f.told = '1'
      notice(me, ${say('slowDown')})
    end
    saveFlood(me, f)
    stat('flood', 1)
    return true
  end
  f.tokens = f.tokens - 1
  f.told = '0'
  return false
end

-- A banned user is told at most once an hour, whatever they send.
local function banned(me)
  local b = redis.call('GET', P .. '${KEY.ban}' .. me)
  if not b then return false end
  if redis.call('SET', P .. '${KEY.banTold}' .. me, '1', 'NX', 'PX', 3600000) then
    if b == 'perm' then notice(me, ${say('bannedForever')})
    else notice(me, ${say('banned')} .. '?until=' .. b) end
  end
  return true
end
`;
