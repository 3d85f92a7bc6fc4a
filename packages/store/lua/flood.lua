-- What every user's update passes first: de-duplication, bans and flood control (gate).

-- Flood control: one budget per user over everything their updates make the bot do (messages,
-- commands, button presses), a token bucket as one string "tokens:ts:told:capt:parts:group" (two
-- commands a step). An update over the limit is dropped, not queued, and the user is told once
-- per burst: told again only once half the bucket has come back, so a script that keeps sending
-- is told once, not once per token it wins. capt: told their partner is behind.
-- parts, group: the album last charged and how many of its parts came (negative: dropped).
local function floodState(me)
  local v = redis.call('GET', P .. K.flood .. me)
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
  redis.call('SET', P .. K.flood .. me,
    f.tokens .. ':' .. now .. ':' .. f.told .. ':' .. f.capt .. ':' .. f.parts .. ':' .. f.group,
    'PX', math.ceil(C.floodBurst * 60000 / C.floodPerMinute) + 1000)
end

-- Refuses an update: the user is told `reply` once, until `flag` clears, and the refusal is
-- counted under `counter`. Returns true.
local function refuse(me, f, flag, reply, counter)
  if f[flag] ~= '1' then
    f[flag] = '1'
    notice(me, reply)
  end
  saveFlood(me, f)
  stat(counter, 1)
  return true
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
    return refuse(me, f, 'told', '@slowDown', 'flood')
  end
  if f.tokens >= C.floodBurst / 2 then f.told = '0' end
  f.tokens = f.tokens - 1
  return false
end

-- The partner's outbox cap, for a copy or an edit: true (and the sender told once until one
-- gets through) when the partner is owed outboxCap copies already.
local function capped(me, f, partner)
  if redis.call('LLEN', P .. K.copies .. partner) < C.outboxCap then
    if f.capt == '1' then
      f.capt = '0'
      saveFlood(me, f)
    end
    return false
  end
  return refuse(me, f, 'capt', '@partnerBehind', 'dropped_cap')
end

-- What a ban mark ("<epoch ms>|perm" and ":admin" or ":reports", see setBan) tells its user.
local function tellBan(me, mark)
  local until_, by = string.match(mark, '^([^:]*):?(.*)$')
  local admin = by == 'admin'
  if until_ == 'perm' then
    notice(me, ref(admin and 'bannedForeverByAdmin' or 'bannedForever'))
  else
    notice(me, ref(admin and 'bannedByAdmin' or 'banned', 'until', until_))
  end
end

-- A banned user is told so again once `again` ms have passed since they were last told
-- (bantold holds when), whatever they send.
local function banned(me, again)
  local b = redis.call('GET', P .. K.ban .. me)
  if not b then return false end
  local tk = P .. K.banTold .. me
  local told = tonumber(redis.call('GET', tk) or '')
  if told and now - told < again then return true end
  redis.call('SET', tk, int(now), 'PX', 3600000)
  tellBan(me, b)
  return true
end

-- Answers the button press an update carries (query: its callback query id, '' or nil for
-- none) with the catalogue reply `name`, so the client stops waiting.
local function answerPress(me, query, name)
  if query and query ~= '' then notice(me, ref(name, 'q', query)) end
end

-- How soon a banned user is told again: after banRetoldMs (a minute) when they press Find,
-- otherwise hourly.
local HOUR = 3600000

-- The gate of an update from a user: a redelivered update stops here; so does a banned user (a
-- ban is enforced before any rule runs; told again `again` ms after they were last told) and a
-- user over their flood budget: every update costs one token of it, whatever it asks. An
-- album's parts (group: its media group, '' for anything else) cost one message together. A
-- press (query) is answered even when it is stopped. A call without an update (upd '': the
-- bot's own follow-up of one) costs nothing. Returns the answer that stops the call, or nil and
-- the user's flood bucket.
local function gate(me, queue, upd, again, group, query)
  if seen(queue, me, upd) then return {'duplicate'} end
  redis.call('ZADD', P .. K.active, now, me)
  if banned(me, again) then
    answerPress(me, query, 'bannedAnswer')
    return {'banned'}
  end
  local f = floodState(me)
  if upd ~= '' then
    if flooded(me, f, group or '') then
      answerPress(me, query, 'floodAnswer')
      return {'flooded'}
    end
    saveFlood(me, f)
  end
  return nil, f
end

-- Registers a function run for a user's update (`names` starts with chat, queue, update): the
-- update passes the gate first, an album's parts (a 'group' argument) costing one message and
-- a press (a 'query' argument) answered even when stopped; `body` gets the arguments, the chat
-- and the flood bucket. options.banRetold: a banned user is told again after banRetoldMs, not
-- an hour (Find).
local function userFn(name, names, body, options)
  local retold = options and options.banRetold
  fn(name, names, function(a)
    local me = a.chat
    local stop, f = gate(me, a.queue, a.update, retold and C.banRetoldMs or HOUR, a.group, a.query)
    if stop then return stop end
    return body(a, me, f)
  end)
end
