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

-- What the bot says on its own goes ahead of relayed copies. A chat is owed at most noticeCap
-- of them: flood control bounds what one user makes the bot say, and the cap bounds the rest
-- (a chat that stopped reading, steps that say several things). Past it a notice is dropped and
-- counted; a dropped broadcast copy counts as failed, so the broadcast's tally still closes.
local function notice(chat, payload)
  local k = P .. '${KEY.notices}' .. chat
  local id = redis.call('INCR', P .. '${KEY.entrySeq}')
  if redis.call('RPUSH', k, id .. ' ' .. payload) > C.noticeCap then
    redis.call('RPOP', k)
    stat('dropped_notice', 1)
    countBroadcast(id .. ' ' .. payload, true)
    return
  end
  redis.call('ZADD', P .. '${KEY.ready}', 'NX', now, chat)
  stat('owed', 1)
end

local function copy(chat, payload)
  local id = redis.call('INCR', P .. '${KEY.entrySeq}')
  redis.call('RPUSH', P .. '${KEY.copies}' .. chat, id .. ' ' .. payload)
  redis.call('ZADD', P .. '${KEY.ready}', 'NX', now, chat)
  stat('owed', 1)
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

-- Flood control: one budget per user over everything their updates make the bot do (messages,
-- commands, button presses), a token bucket as one string "tokens:ts:told:capt:parts:group" (two
-- commands a step). An update over the limit is dropped, not queued, and the user is told once
-- per burst: told again only once half the bucket has come back, so a script that keeps sending
-- is told once, not once per token it wins. capt: told their partner is behind.
-- parts, group: the album last charged and how many of its parts came (negative: dropped).
local function floodState(me)
  local v = redis.call('GET', P .. '${KEY.flood}' .. me)
  local f = {tokens = C.floodBurst, ts = now, told = '0', capt = '0', parts = 0, group = ''}
  if v then
    local a, b, c, d, e, g = string.match(v, '^([^:]*):([^:]*):([^:]*):([^:]*):?([^:]*):?(.*)$')
    if a then
      f.tokens, f.ts, f.told, f.capt = tonumber(a), tonumber(b), c, d
      f.parts, f.group = tonumber(e) or 0, g
    end
  end
  f.tokens = math.min(C.floodBurst, f.tokens + (now - f.ts) * C.floodPerMinute / 60000)
  return f
end

local function saveFlood(me, f)
  redis.call('SET', P .. '${KEY.flood}' .. me,
    f.tokens .. ':' .. now .. ':' .. f.told .. ':' .. f.capt .. ':' .. f.parts .. ':' .. f.group,
    'PX', math.ceil(C.floodBurst * 60000 / C.floodPerMinute) + 1000)
end

-- Takes a token for one update; true (and nothing taken) when the user is over the limit. An
-- album (group: its media group, '' for anything else) is one message: its later parts, up to
-- Telegram's ten, cost nothing and share the first part's fate (f.later marks them).
local function flooded(me, f, group)
  if group ~= '' and f.group == group and math.abs(f.parts) < 10 then
    f.later = true
    if f.parts < 0 then
      f.parts = f.parts - 1
      saveFlood(me, f)
      stat('flood', 1)
      return true
    end
    f.parts = f.parts + 1
    return false
  end
  f.group, f.parts = group, 1
  if f.tokens < 1 then
    f.parts = -1
    if f.told ~= '1' then
      f.told = '1'
      notice(me, ${say('slowDown')})
    end
    saveFlood(me, f)
    stat('flood', 1)
    return true
  end
  if f.tokens >= C.floodBurst / 2 then f.told = '0' end
  f.tokens = f.tokens - 1
  return false
end

-- The partner's outbox cap, for a copy or an edit: true (and the sender told once until one
-- gets through) when the partner is owed outboxCap copies already.
local function capped(me, f, partner)
  if redis.call('LLEN', P .. '${KEY.copies}' .. partner) < C.outboxCap then
    if f.capt == '1' then
      f.capt = '0'
      saveFlood(me, f)
    end
    return false
  end
  if f.capt ~= '1' then
    f.capt = '1'
    notice(me, ${say('partnerBehind')})
  end
  saveFlood(me, f)
  stat('dropped_cap', 1)
  return true
end

-- What a ban mark ("<epoch ms>|perm" and ":admin" or ":reports", see setBan) tells its user.
local function tellBan(me, mark)
  local until_, by = string.match(mark, '^([^:]*):?(.*)$')
  local admin = by == 'admin'
  if until_ == 'perm' then
    notice(me, admin and ${say('bannedForeverByAdmin')} or ${say('bannedForever')})
  else
    notice(me, (admin and ${say('bannedByAdmin')} or ${say('banned')}) .. '?until=' .. until_)
  end
end

-- A banned user is told so again once \`again\` ms have passed since they were last told
-- (bantold holds when), whatever they send.
local function banned(me, again)
  local b = redis.call('GET', P .. '${KEY.ban}' .. me)
  if not b then return false end
  local tk = P .. '${KEY.banTold}' .. me
  local told = tonumber(redis.call('GET', tk) or '')
  if told and now - told < again then return true end
  redis.call('SET', tk, int(now), 'PX', 3600000)
  tellBan(me, b)
  return true
end
`;
