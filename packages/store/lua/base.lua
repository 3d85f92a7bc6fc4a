-- The library's foundation: what every function runs on (the prefix, the limits, the clock),
-- how functions are registered, and the outbox, timer, journal and counter helpers.
--
-- library.ts puts a header before these files, generated from the TypeScript declarations: K
-- (key names, keys.ts), LIMIT_NAMES (state-store.ts), BANDS, LANGS, ADULT, AGEMIN, AGEMAX
-- (packages/domain), ANSWERS and UNPACED (which outbox entries pacing skips).
--
-- Redis does not roll a function back when it fails half-way, so each one reads and checks
-- everything before its first write.

-- Bumped whenever a function changes what it reads or writes: a worker refuses to run against a
-- library newer than its own (library.ts).
local VERSION = 6

-- Set at the start of every call (begin): the key prefix, the limits by name (C; CT as text), the
-- time in ms and as text. Commands get numbers as text: Redis writes a number argument with
-- "%.17g" and Lua a number joined to a string with "%.14g", both far dearer than '%d'.
local P, C, CT, now, nowText = '', {}, {}, 0, ''
local limitsText = nil
-- How a whole number is written (int): '%d' on Redis, whose Lua writes it as a 64-bit integer;
-- '%.0f' on the embedded engine (Lua 5.3, known by math.type), whose integers have 32 bits.
-- Set by the first call: at load, math is not reachable.
local INT = nil

local function begin(args)
  P = args[1]
  -- The limits arrive as text with every call ("v<version>:<limit>,<limit>,..."); they are read
  -- again only when they change. A caller of another version (a worker of an older deploy, after
  -- a newer one replaced the library) is refused, never served rules it does not know.
  if args[2] ~= limitsText then
    local version, list = string.match(args[2], '^v(%d+):(.*)$')
    if tonumber(version) ~= VERSION then
      error('hamdam library version ' .. VERSION .. ' called by a worker of version ' .. tostring(version))
    end
    local c, ct, i = {}, {}, 1
    for v in string.gmatch(list, '[^,]+') do
      c[LIMIT_NAMES[i]], ct[LIMIT_NAMES[i]] = tonumber(v), v
      i = i + 1
    end
    C, CT, limitsText = c, ct, args[2]
  end
  -- The time in ms is written from TIME's text (seconds, then the first three of the
  -- microseconds' six digits) and read once: no number is parsed twice or printed.
  local t = redis.call('TIME')
  nowText = t[1] .. string.sub('00000' .. t[2], -6, -4)
  now = tonumber(nowText)
  if not INT then INT = rawget(math, 'type') and '%.0f' or '%d' end
end

-- The counters a call changed (field -> how much), written once per field when it ends: a
-- call that settles fifty entries moves 'owed' with one command, not fifty.
local counted = {}
local function stat(field, n) counted[field] = (counted[field] or 0) + n end
local function writeStats()
  for field, n in pairs(counted) do
    if n ~= 0 then redis.call('HINCRBY', P .. K.stats, field, string.format(INT, n)) end
    counted[field] = nil
  end
end

-- Registers function `name`. Every call carries the prefix and the limits, then the arguments
-- `names` declares (the TypeScript declaration lists the same names: functions.test.ts checks
-- it); `body` gets them in a table by name. A last name '...x' takes the rest as the list x.
local function fn(name, names, body)
  local n = #names
  -- (At load only redis is reachable among the globals: a string's own methods still work.)
  local rest = n > 0 and names[n]:sub(1, 3) == '...' and names[n]:sub(4) or nil
  local fixed = rest and n - 1 or n
  -- The arguments' table is made once and filled by every call (a call never keeps it).
  local a = {}
  redis.register_function(name, function(_, args)
    begin(args)
    -- (What a call that failed half-way had counted is not carried into the next.)
    if next(counted) then counted = {} end
    for i = 1, fixed do a[names[i]] = args[i + 2] end
    if rest then a[rest] = {unpack(args, fixed + 3)} end
    local result = body(a)
    writeStats()
    return result
  end)
end

local function ukey(chat) return P .. K.user .. chat end
-- A whole number as text, the same on every engine (a float would read "1.0" on Lua 5.3). A
-- string.format costs about as much as a command, so the small ones (counters' steps) are
-- written once and kept.
local SMALL = {}
local function int(n)
  local s = SMALL[n]
  if s then return s end
  s = string.format(INT, n)
  if n >= -64 and n <= 64 then SMALL[n] = s end
  return s
end

-- Whether chat id a is below chat id b, both whole numbers as text (no leading zeros), read
-- without parsing either: by sign, then length, then digits (a parse costs as much as a command).
local MINUS = ('-'):byte()
local function idBefore(a, b)
  if a == b then return false end
  local negative = string.byte(a) == MINUS
  if negative ~= (string.byte(b) == MINUS) then return negative end
  if #a ~= #b then return (#a < #b) ~= negative end
  return (a < b) ~= negative
end

-- De-duplication: the highest update id taken from one Telegram queue, with the time (ms) the
-- user's place among those online (act) was last moved. A jump no real traffic could make in the
-- time since (a forged id) is taken as new but does not move the mark, so it cannot make later
-- real updates look old.
-- Who is online moves at most once per ten seconds of the clock (the time's last four digits),
-- not with every update, so a user's time there is never ten seconds stale.
-- The marks live in the user's hash (u:<chat>, field: the queue), read by the caller: `v`
-- is the queue's mark ("<update id>:<ms>", false for none). Returns whether the update was
-- seen, the new mark to keep (nil: keep the old one), and whether to move the user's time
-- among those online.
local function seen(upd, v)
  if upd == '' then return false, nil, true end
  local hw, at = string.match(v or '', '^(%d+):?(%d*)$')
  if not hw then return false, upd .. ':' .. nowText, true end
  local gap = tonumber(upd) - tonumber(hw)
  if gap <= 0 then return true end
  local fresh = #at == #nowText and string.sub(at, 1, -5) == string.sub(nowText, 1, -5)
  if gap > 1000000 and gap > 1000000 + (now - (tonumber(at) or now)) * 100 then
    return false, nil, not fresh
  end
  return false, upd .. ':' .. (fresh and at or nowText), not fresh
end

-- What the gate keeps of a user (the marks of their Telegram queues, the flood bucket, ix, n:
-- flood.lua) lives in their hash (u:<chat>), so one read serves the gate and the rule behind
-- it. Before version 6 it had a hash of its own (g:<chat>): a user's first update since moves
-- it (true when there was one to move).
local function movedGate(uk, chat)
  local gk = P .. K.gate .. chat
  local old = redis.call('HGETALL', gk)
  if #old == 0 then return false end
  redis.call('HSET', uk, unpack(old))
  redis.call('DEL', gk)
  return true
end

-- De-duplication alone, for an update no gate takes (the admin's broadcast, a block of the
-- bot): true when it was seen; else its mark is kept.
local function seenAlone(queue, chat, upd)
  local uk = ukey(chat)
  local v = redis.call('HGET', uk, queue)
  if not v and movedGate(uk, chat) then v = redis.call('HGET', uk, queue) end
  local dup, mark = seen(upd, v)
  if mark then redis.call('HSET', uk, queue, mark) end
  return dup
end

-- Entries written before the library (its version 0) separated their fields; they are read
-- here until none remain: "~from|ids|group|replyTo|protect|due", "^from|id|<call>" and
-- "!<broadcast>|<call>" (or "!<call>", from before broadcasts were numbered).
local function legacyPayload(payload)
  local kind, rest = string.sub(payload, 1, 1), string.sub(payload, 2)
  if kind == '~' then
    local from, ids, group, rep, prot, due =
      string.match(rest, '^(%-?%d+)|([%d,]+)|([^|]*)|(%d*)|(1?)|(%d+)$')
    if not from then return nil end
    local list = {}
    for id in string.gmatch(ids, '%d+') do list[#list + 1] = id end
    return {k = 'copy', from = from, ids = list, group = group ~= '' and group or nil,
      reply = rep ~= '' and rep or nil, prot = prot == '1' or nil, due = due}
  elseif kind == '^' then
    local from, id, call = string.match(rest, '^(%-?%d+)|(%d+)|({.*)$')
    if from then return {k = 'edit', from = from, id = id, call = call} end
  elseif kind == '!' then
    local bc, call = string.match(rest, '^(%d+)|({.*)$')
    if not bc then bc, call = '', string.match(rest, '^({.*)$') end
    if call then return {k = 'bc', bc = bc, call = call} end
  end
  return nil
end

-- A catalogue reply with its arguments (name, then key, value pairs, in order), in the form
-- packages/domain's replyRef writes and parseReplyRef reads: "@name?key=value&...", each value
-- encoded as a URL query encodes it. The one place the library writes a reply's arguments (a
-- reply without any is written as it is: '@name').
local function ref(name, ...)
  local n = select('#', ...)
  if n == 0 then return '@' .. name end
  local parts = {}
  for i = 1, n, 2 do
    local k, v = select(i, ...)
    parts[#parts + 1] = k .. '=' .. (string.gsub(tostring(v), '[^%w%-%._~]', function(c)
      return string.format('%%%02X', string.byte(c))
    end))
  end
  return '@' .. name .. '?' .. table.concat(parts, '&')
end

-- An outbox entry is "<id> <payload>", marked '#' once a sender took it and '%' once its chat
-- ended while it was taken. A payload is a catalogue reply ("@name?args") or a JSON object: an
-- Outgoing call as TypeScript wrote it ({"method": ...}), or one of the library's own:
--   {k = 'copy', from, ids, group, reply, prot, due}  copies of messages `ids` of chat `from`
--   {k = 'edit', from, id, call}                      an edit of `from`'s message `id`, for its copy
--   {k = 'bc', bc, call}                              a message of broadcast number `bc`
-- (ids are text; call is the call's JSON as text, kept exactly as it came.) Returns the id, the
-- decoded object (nil for a reply), the payload and the mark.
--
-- With `sending` (the dispatcher taking a head), the common entry, a copy of one message with no
-- album part to wait for and no reply to resolve, is not decoded: the object returned then says
-- only that, and the payload is not cut out of the entry (nil). (A quote inside a JSON string
-- is escaped, so plain finds see the object's own fields.)
local PLAIN_COPY = {k = 'copy', due = '0'}
-- (Characters as bytes, compared without making a string; at load a string's methods work.)
local OPEN_BRACE, AT_SIGN = ('{@'):byte(1, 2)
local function entryParts(entry, sending)
  local mark, id, at = string.match(entry, '^([#%%]?)(%d+) ()')
  if not id then return nil end
  local first = string.byte(entry, at)
  if sending and first == OPEN_BRACE and string.find(entry, '"k":"copy"', at, true)
    and string.find(entry, '"due":"0"', at, true) and not string.find(entry, '"reply":', at, true) then
    return id, PLAIN_COPY, nil, mark
  end
  local payload = string.sub(entry, at)
  if first == OPEN_BRACE then
    local ok, e = pcall(cjson.decode, payload)
    return id, ok and type(e) == 'table' and e or nil, payload, mark
  end
  if first == AT_SIGN then return id, nil, payload, mark end
  return id, legacyPayload(payload), payload, mark
end

-- The broadcast a notice belongs to: true when to the one running now, false when to one that
-- ended (cancelled: it is not sent), nil when it is not a broadcast's.
local function liveBroadcast(entry)
  if not string.find(entry, '^[#%%]?%d+ [{!]') then return nil end
  local _, e = entryParts(entry)
  if not (e and e.k == 'bc') then return nil end
  local b = redis.call('HMGET', P .. K.broadcast, 'state', 'id')
  return b[1] == 'running' and (e.bc == '' or e.bc == b[2])
end

-- Every broadcast entry counts once, as delivered or not, so sent + failed reaches queued and
-- the broadcast finishes: whoever removes a notice from a list calls this.
local function countBroadcast(entry, failed)
  if liveBroadcast(entry) then
    redis.call('HINCRBY', P .. K.broadcast, failed and 'failed' or 'sent', '1')
  end
end

-- A new outbox entry of `payload`: the next entry id, a space, the payload (entryParts).
local function newEntry(payload) return int(redis.call('INCR', P .. K.entrySeq)) .. ' ' .. payload end

-- What the bot says on its own goes ahead of relayed copies. A chat is owed at most noticeCap
-- of them: flood control bounds what one user makes the bot say, and the cap bounds the rest
-- (a chat that stopped reading, steps that say several things). Past it a notice is dropped and
-- counted; a dropped broadcast copy counts as failed, so the broadcast's tally still closes.
local function notice(chat, payload)
  local k = P .. K.notices .. chat
  local entry = newEntry(payload)
  local n = redis.call('RPUSH', k, entry)
  if n > C.noticeCap then
    redis.call('RPOP', k)
    stat('dropped_notice', 1)
    countBroadcast(entry, true)
    return
  end
  -- A chat owed anything is scheduled already (ready holds every chat with entries).
  if n == 1 then redis.call('ZADD', P .. K.ready, 'NX', nowText, chat) end
  stat('owed', 1)
end

-- Discards every notice still owed to a chat (its user blocked the bot); a broadcast's among
-- them count as not delivered.
local function dropNotices(chat)
  local k = P .. K.notices .. chat
  local owed = redis.call('LRANGE', k, '0', '-1')
  if #owed == 0 then return end
  for _, entry in ipairs(owed) do countBroadcast(entry, true) end
  redis.call('DEL', k)
  stat('owed', -#owed)
end

-- Is this outbox entry ("<id> <payload>"; "#<id> <payload>" once a sender took it;
-- "%<id> <payload>" once its chat ended while it was taken) the one with this id?
local HASH, PERCENT, SPACE = ('#% '):byte(1, 3)
local function isEntry(entry, id)
  local mark = string.byte(entry)
  local start = (mark == HASH or mark == PERCENT) and 2 or 1
  return string.find(entry, id, start, true) == start and string.byte(entry, start + #id) == SPACE
end

-- Copies still owed to a chat are dropped (its chat ended); returns how many. A copy a sender
-- already took (marked '#': it may be on its way right now) stays, since it cannot be taken
-- back; it is marked '%' instead: if this attempt fails, it is dropped rather than tried again,
-- so no copy of an ended chat ever arrives after the bot said the chat ended.
local function dropCopies(chat)
  local k = P .. K.copies .. chat
  local n = redis.call('LLEN', k)
  if n == 0 then return 0 end
  local head = redis.call('LINDEX', k, '0')
  if string.sub(head, 1, 1) == '#' then
    redis.call('LTRIM', k, '0', '0')
    redis.call('LSET', k, '0', '%' .. string.sub(head, 2))
    stat('owed', 1 - n)
    return n - 1
  end
  if string.sub(head, 1, 1) == '%' then redis.call('LTRIM', k, '0', '0') stat('owed', 1 - n) return n - 1 end
  redis.call('DEL', k)
  stat('owed', -n)
  return n
end

-- A taken copy whose chat ended ('%') is dropped, and counted under `counter`: 'dropped_end'
-- when its send failed, 'dropped_unsure' when its sender died mid-send (its lease ran out), so
-- the copy may have arrived or not.
local function dropEnded(chat, counter)
  local k = P .. K.copies .. chat
  local head = redis.call('LINDEX', k, '0')
  if not head or string.sub(head, 1, 1) ~= '%' then return false end
  redis.call('LPOP', k)
  stat('owed', -1)
  stat(counter, 1)
  return true
end

-- Where copies landed, one hash per pair of chats: "<chat>:<id>" -> "<other chat>:<id>", both
-- ways. It lives as long as their chat: written when a copy is delivered during it, deleted
-- when it ends (endChat).
local function messageMap(a, b)
  if idBefore(a, b) then return P .. K.messageMap .. a .. ':' .. b end
  return P .. K.messageMap .. b .. ':' .. a
end

local function timer(kind, chat, at) redis.call('ZADD', P .. K.timers, int(at), kind .. ':' .. chat) end
local function untimer(kind, chat) redis.call('ZREM', P .. K.timers, kind .. ':' .. chat) end
local function pairTimer(a, b) if idBefore(a, b) then return a end return b end

local function kbOf(state)
  if state == 'chatting' then return 'chat' elseif state == 'queued' then return 'searching' end
  return 'main'
end

-- Never trimmed: an entry leaves only when the flusher has stored it in Postgres and deletes
-- it, so a long Postgres outage costs Redis memory (watched: hamdam_journal_backlog), not
-- records.
local function journal(...)
  redis.call('XADD', P .. K.journal, '*', 'at', nowText, ...)
end
