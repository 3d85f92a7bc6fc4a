-- What every user's update passes first: de-duplication, bans and flood control (gate).

-- Flood control: one budget per user over everything their updates make the bot do (messages,
-- commands, button presses), a token bucket kept as one string "=full:told:capt:parts:group"
-- (two commands a step), full being the time (ms, a whole number) it is full again. An update
-- over the limit is dropped, not queued, and the user is told once per burst: told again only
-- once half the bucket has come back, so a script that keeps sending is told once, not once per
-- token it wins. capt: told their partner is behind.
-- parts, group: the album last charged and how many of its parts came (negative: dropped; text
-- until an album's part needs it as a number).
-- A bucket of the earlier form, "tokens:ts:told:capt:parts:group", reads as the same bucket.
-- The state is one table, every field of which each call sets (false for none): no call keeps
-- it, and a table made per call costs more than the rest of the gate's reading.
local gateState = {}
local function floodState(v, key, queue, mark, ix, sent)
  local burst = C.floodBurst
  local tokens, told, capt, parts, group = burst, '0', '0', '0', ''
  if v then
    local full, c, d, e, g = string.match(v, '^=(%d+):([^:]*):([^:]*):([^:]*):(.*)$')
    if full then
      tokens = burst - math.max(0, tonumber(full) - now) * C.floodPerMinute / 60000
      told, capt, parts, group = c, d, e, g
    else
      local a, b
      a, b, c, d, e, g = string.match(v, '^([^:]*):([^:]*):([^:]*):([^:]*):?([^:]*):?(.*)$')
      if a then
        tokens = math.min(burst, tonumber(a) + (now - tonumber(b)) * C.floodPerMinute / 60000)
        told, capt, parts, group = c, d, tonumber(e) or 0, g
      end
    end
  end
  local f = gateState
  f.tokens, f.told, f.capt, f.parts, f.group, f.key = tokens, told, capt, parts, group, key
  f.queue, f.mark, f.ix, f.sent, f.later, f.save = queue, mark, ix, sent, false, false
  f.ixAt, f.counted = false, false
  return f
end

-- The bucket is kept with the rest of the gate's hash when the call ends (keepGate).
local function saveFlood(_, f)
  local full = now + (C.floodBurst - f.tokens) * 60000 / C.floodPerMinute
  f.save = '=' .. int(math.ceil(full)) .. ':' .. f.told .. ':' .. f.capt .. ':' .. f.parts .. ':' .. f.group
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
  local parts = group ~= '' and f.group == group and tonumber(f.parts)
  if parts and math.abs(parts) < 10 then
    f.later = true
    if parts < 0 then
      f.parts = parts - 1
      saveFlood(me, f)
      stat('flood', 1)
      return true
    end
    f.parts = parts + 1
    return false
  end
  f.group, f.parts = group, '1'
  if f.tokens < 1 then
    f.parts = '-1'
    return refuse(me, f, 'told', '@slowDown', 'flood')
  end
  if f.tokens >= C.floodBurst / 2 then f.told = '0' end
  f.tokens = f.tokens - 1
  return false
end

-- Queues a relayed copy or edit (an entry's payload, see entryParts) for the partner, unless
-- the partner is owed outboxCap of them already: then nothing is queued and the sender is told,
-- once until one gets through. Returns whether it was queued.
local function queueCopy(me, f, partner, payload)
  local k = P .. K.copies .. partner
  local n = redis.call('RPUSH', k, newEntry(payload))
  if n > C.outboxCap then
    redis.call('RPOP', k)
    refuse(me, f, 'capt', '@partnerBehind', 'dropped_cap')
    return false
  end
  if f.capt == '1' then
    f.capt = '0'
    saveFlood(me, f)
  end
  if n == 1 then redis.call('ZADD', P .. K.ready, 'NX', nowText, partner) end
  stat('owed', 1)
  return true
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
local function banned(me, again, b)
  if b == nil then b = redis.call('GET', P .. K.ban .. me) end
  if not b then return false end
  local tk = P .. K.banTold .. me
  local told = tonumber(redis.call('GET', tk) or '')
  if told and now - told < again then return true end
  redis.call('SET', tk, nowText, 'PX', '3600000')
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
-- bot's own follow-up of one) costs nothing. It reads what it keeps in the user's hash (the
-- queue's mark, the flood bucket, ix, how many messages they sent) with the fields the rule
-- behind it reads, in one command (read: those fields, then four places for the gate's), and
-- what it and the call change there is written at once when the call ends (keepGate). Returns
-- the answer that stops the call (nil to go on), the gate's state f, and the values read (the
-- rule's fields first).
local function gate(me, queue, upd, again, group, query, read)
  local uk = ukey(me)
  local at = #read - 3
  read[at] = queue
  local v = redis.call('HMGET', uk, unpack(read))
  if not v[at + 1] and movedGate(uk, me) then v = redis.call('HMGET', uk, unpack(read)) end
  local dup, mark, online = seen(upd, v[at])
  if dup then return {'duplicate'} end
  local f = floodState(v[at + 1], uk, queue, mark, tonumber(v[at + 2]), tonumber(v[at + 3]) or 0)
  if online then redis.call('ZADD', P .. K.active, nowText, me) end
  if banned(me, again) then
    answerPress(me, query, 'bannedAnswer')
    return {'banned'}, f
  end
  if upd ~= '' then
    if flooded(me, f, group or '') then
      answerPress(me, query, 'floodAnswer')
      return {'flooded'}, f
    end
    saveFlood(me, f)
  end
  return nil, f, v
end

-- Writes what the call changed of the gate's fields, in one command: the update's mark, the
-- flood bucket, when the idle timer was moved (f.ixAt), the messages sent (f.counted). Its list
-- is made once and refilled.
local gateFields = {}
local function keepGate(f)
  if not f then return end
  local out, n = gateFields, 0
  if f.mark then out[1], out[2], n = f.queue, f.mark, 2 end
  if f.save then out[n + 1], out[n + 2], n = 'fl', f.save, n + 2 end
  if f.ixAt then out[n + 1], out[n + 2], n = 'ix', int(f.ixAt), n + 2 end
  if f.counted then out[n + 1], out[n + 2], n = 'n', int(f.sent), n + 2 end
  if n > 0 then redis.call('HSET', f.key, unpack(out, 1, n)) end
end

-- Registers a function run for a user's update (`names` starts with chat, queue, update): the
-- update passes the gate first, an album's parts (a 'group' argument) costing one message and
-- a press (a 'query' argument, or options.query(a)) answered even when stopped; `body` gets the
-- arguments, the chat, the gate's state and the user's fields options.user names, as a list in
-- that order, read with the gate's own (its list goes on with the gate's: the body reads only
-- its fields).
-- options.banRetold: a banned user is told again after banRetoldMs, not an hour (Find).
local function userFn(name, names, body, options)
  local retold = options and options.banRetold
  local queryOf = options and options.query
  -- (At load only redis is reachable among the globals: no ipairs.)
  local fields, read = options and options.user or {}, {}
  for i = 1, #fields do read[i] = fields[i] end
  local n = #read
  read[n + 1], read[n + 2], read[n + 3], read[n + 4] = '', 'fl', 'ix', 'n'
  fn(name, names, function(a)
    local me = a.chat
    local query = queryOf and queryOf(a) or a.query
    local stop, f, u = gate(me, a.queue, a.update, retold and C.banRetoldMs or HOUR, a.group, query, read)
    local result = stop or body(a, me, f, u)
    keepGate(f)
    return result
  end)
end
