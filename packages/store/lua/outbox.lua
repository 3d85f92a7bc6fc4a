-- The outbox: what the bot owes each chat (notices first, then relayed copies), handed to the
-- dispatcher in order, paced per chat and globally, and settled when Telegram answered.

-- Replies to the user, in order (payloads: catalogue replies or Outgoing calls). A reply asking
-- for 'kb=auto' gets the keyboard of the user's state now, so a reply never swaps a chat's
-- keyboard away. A first payload that answers a button press ('@name?q=<query>') names the
-- press to answer even when the user is over their flood budget.
userFn('say', {'chat', 'queue', 'update', '...payloads'}, function(a, me, _, u)
  local kb = kbOf(u[1])
  for _, payload in ipairs(a.payloads) do notice(me, (string.gsub(payload, 'kb=auto', 'kb=' .. kb))) end
  return {'said'}
end, {user = {'state'}, query = function(a) return string.match(a.payloads[1] or '', '^@%w+%?q=([^&]+)') end})

-- Where a message's copy landed in this chat: the id, when the map says it went to this chat.
local function resolve(chat, from, id)
  if not id or id == '' then return '' end
  local m = redis.call('HGET', messageMap(from, chat), from .. ':' .. id)
  if not m then return '' end
  local to, dst = string.match(m, '^(%-?%d+):(%d+)$')
  if to == chat then return dst end
  return ''
end

-- A reply whose target is not in the map yet, while a copy from this chat to the replier is
-- taken and not settled: that copy may be the target. Telegram shows a copy before its sender
-- hears back and records where it landed, so a partner can answer it first. The reply waits
-- for that settle (looked at again every REPLY_RETRY_MS), for at most one lease (its deadline
-- kept in rw:<chat>), then goes as a plain message. Returns when to look again, or nil: send.
local REPLY_RETRY_MS = 50
local function awaitTarget(chat, from, entry, lease)
  local other = redis.call('LINDEX', P .. K.copies .. from, '0')
  if not other then return nil end
  local _, e, _, mark = entryParts(other)
  if mark ~= '#' or not e or e.k ~= 'copy' or e.from ~= chat then return nil end
  local wk = P .. K.replyWait .. chat
  local w = redis.call('GET', wk)
  local id, deadline
  if w then id, deadline = string.match(w, '^(%d+):(%d+)$') end
  if id == entry then
    deadline = tonumber(deadline)
    if deadline <= now then return nil end
  else
    deadline = now + lease
    redis.call('SET', wk, entry .. ':' .. int(deadline), 'PX', 2 * lease + 1000)
  end
  return math.min(deadline, now + REPLY_RETRY_MS)
end

-- Telegram's per-chat limit is on messages sent: answering a button press and the bot editing
-- its own message (a reply said in place, 'e=') are not paced (onboarding answers would
-- otherwise hold up the next reply).
local function paced(payload, e, isCopy)
  if isCopy then return true end
  local name = string.match(payload, '^@(%w+)')
  if name then return not (ANSWERS[name] or string.find(payload, '[?&]e=%d')) end
  return not (e and e.method and UNPACED[e.method])
end

local COPIES_FIRST, NOTICES_FIRST = {K.copies, K.notices}, {K.notices, K.copies}
-- The map's fields an acknowledgement writes, in one list made once and refilled.
local mapFields = {}

-- Acknowledges one delivered entry (only the head it names: a late acknowledgement of an entry
-- sent again changes nothing) and records where its copies landed ("source:copy,..." pairs),
-- while their chat lasts: a copy taken when its chat ended is marked '%', and its chat's map is
-- gone.
local function acknowledge(chat, entry, from, pairs_, failed)
  -- A delivery that names where its copies came from was a copy: its list is looked at first.
  -- The head is popped and put back in the rare case it is not the one delivered.
  local live = false
  for _, kind in ipairs(from ~= '' and COPIES_FIRST or NOTICES_FIRST) do
    local key = P .. kind .. chat
    local head = redis.call('LPOP', key)
    if head then
      if isEntry(head, entry) then
        stat('owed', -1)
        if kind == K.notices then countBroadcast(head, failed == '1')
        else live = string.sub(head, 1, 1) ~= '%' end
        break
      end
      redis.call('LPUSH', key, head)
    end
  end
  if live and from ~= '' and pairs_ ~= '' then
    local fields, n = mapFields, 0
    for src, dst in string.gmatch(pairs_, '(%d+):(%d+)') do
      local a, b = from .. ':' .. src, chat .. ':' .. dst
      fields[n + 1], fields[n + 2], fields[n + 3], fields[n + 4], n = a, b, b, a, n + 4
    end
    redis.call('HSET', messageMap(from, chat), unpack(fields, 1, n))
  end
  -- (An emptied list is gone: the chat is owed something while either list exists.)
  if redis.call('EXISTS', P .. K.notices .. chat, P .. K.copies .. chat) == 0 then
    redis.call('ZREM', P .. K.ready, chat)
  else
    redis.call('ZADD', P .. K.ready, nowText, chat)
  end
end

-- How many sends the global budget allows now, out of `limit`.
local function budgetFor(limit)
  local rate, burst = C.globalRatePerSec, C.globalBurst
  if limit <= 0 or rate <= 0 then return limit end
  local b = redis.call('HMGET', P .. K.budget, 'tokens', 'ts')
  local tokens = tonumber(b[1] or burst)
  local ts = tonumber(b[2] or now)
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  redis.call('HSET', P .. K.budget, 'tokens', tokens, 'ts', nowText)
  return math.min(limit, math.floor(tokens))
end

-- Per-chat pacing, a token bucket kept as the time it is full again (ms, a whole number): 0 when
-- the head may go now (one token taken), else when it may. A bucket of the earlier form,
-- "tokens:ts", reads as the same bucket. It is kept no longer than a bucket can take to fill
-- (past the time it is full again, no bucket and a full one read the same): one expiry for
-- every bucket, made again only when the limits (C) change.
local paceTtl, paceTtlOf = '', nil
local function pace(chat, counts)
  if not counts then return 0 end
  local pk = P .. K.pace .. chat
  local every, burst = 1000 / C.chatRatePerSec, C.chatBurst
  local v = redis.call('GET', pk)
  local full = tonumber(v)
  if v and not full then
    local tokens, ts = string.match(v, '^([^:]*):([^:]*)$')
    if tokens then full = tonumber(ts) + (burst - tonumber(tokens)) * every end
  end
  -- Taking a token puts the time it is full again one token later; a bucket holds burst tokens.
  full = math.max(full or now, now) + every
  if full - now > burst * every then return math.ceil(full - burst * every) end
  if paceTtlOf ~= C then paceTtl, paceTtlOf = int(math.ceil(burst * every) + 1000), C end
  redis.call('SET', pk, int(math.ceil(full)), 'PX', paceTtl)
  return 0
end

-- The head a chat owes now, or nil: its notices first (what a cancelled broadcast still owed
-- is dropped), then its copies (a copy of an ended chat whose sender died before settling it is
-- not sent again). Returns the head and whether it is a copy.
local function headOf(chat)
  local notices = P .. K.notices .. chat
  local head = redis.call('LINDEX', notices, '0')
  while head and liveBroadcast(head) == false do
    redis.call('LPOP', notices)
    stat('owed', -1)
    head = redis.call('LINDEX', notices, '0')
  end
  if head then return head, false end
  local copies = P .. K.copies .. chat
  head = redis.call('LINDEX', copies, '0')
  if head and string.sub(head, 1, 1) == '%' and dropEnded(chat, 'dropped_unsure') then
    head = redis.call('LINDEX', copies, '0')
  end
  if head then return head, true end
  return nil, false
end

-- Takes one due chat's head for a sender: nil when it is not to go yet (rescheduled), else the
-- entry as the sender gets it (never marked, an old entry in today's form), the chat's language
-- (for the bot's own replies) and the resolved message id a reply or edit points at ('' if none).
-- An entry that does not read as its kind (a bug, or a foreign writer) is handed out as it is:
-- the sender drops and counts it, and the chat's next entries follow it.
local function take(chat, lease, leasedUntil)
  local ready = P .. K.ready
  local head, isCopy = headOf(chat)
  if not head then
    redis.call('ZREM', ready, chat)
    return nil
  end
  local id, e, payload, mark = entryParts(head, true)
  local handed, resolved, wait = head, '', nil
  if id then
    if e and e ~= PLAIN_COPY and string.sub(payload, 1, 1) ~= '{' then
      handed = id .. ' ' .. cjson.encode(e)
    elseif mark ~= '' then handed = string.sub(head, 2) end
    if e and e.k == 'copy' then
      if e.due ~= '0' and tonumber(e.due) > now then wait = tonumber(e.due)
      else
        resolved = resolve(chat, e.from, e.reply)
        if resolved == '' and e.reply then wait = awaitTarget(chat, e.from, id, lease) end
      end
    elseif e and e.k == 'edit' then
      resolved = resolve(chat, e.from, e.id)
    end
  end
  -- An album still gathering its parts, or a reply waiting for its target's copy.
  if wait then
    redis.call('ZADD', ready, int(wait), chat)
    return nil
  end
  local later = pace(chat, paced(payload or '', e, isCopy))
  if later > 0 then
    redis.call('ZADD', ready, int(later), chat)
    return nil
  end
  redis.call('ZADD', ready, leasedUntil, chat)
  -- A copy taken by a sender is marked, so the end of its chat leaves it be.
  if isCopy and mark == '' then redis.call('LSET', P .. K.copies .. chat, '0', '#' .. head) end
  return handed, isCopy and '' or (redis.call('HGET', ukey(chat), 'lang') or ''), resolved
end

-- The dispatcher's one round trip: acknowledge what was delivered (delivered: per entry its
-- chat, entry id, the chat its copies came from ('' if none), "source:copy,..." message ids
-- ('' if none), and '1' when it did not reach the chat), then take up to `limit` heads that
-- are due, leased for `lease` ms. Returns the next due time ('' when nothing is owed) followed
-- by chat, entry, language, resolved message id of each head taken.
--
-- A copy's reply and an edit's target are resolved when they are sent: by then the message
-- they point at has been copied (a chat's entries go out in order), so its copy's id is known.
fn('settle', {'limit', 'lease', '...delivered'}, function(a)
  local limit, lease, d = tonumber(a.limit), tonumber(a.lease), a.delivered
  for i = 1, #d - 4, 5 do acknowledge(d[i], d[i + 1], d[i + 2], d[i + 3], d[i + 4]) end
  limit = budgetFor(limit)
  local out, taken = {''}, 0
  if limit > 0 then
    local due = redis.call('ZRANGEBYSCORE', P .. K.ready, '-inf', nowText, 'LIMIT', '0', int(limit))
    local leasedUntil = int(now + lease)
    for _, chat in ipairs(due) do
      local entry, lang, resolved = take(chat, lease, leasedUntil)
      if entry then
        out[#out + 1] = chat
        out[#out + 1] = entry
        out[#out + 1] = lang
        out[#out + 1] = resolved
        taken = taken + 1
      end
    end
  end
  if C.globalRatePerSec > 0 and taken > 0 then
    redis.call('HINCRBYFLOAT', P .. K.budget, 'tokens', int(-taken))
  end
  local first = redis.call('ZRANGE', P .. K.ready, '0', '0', 'WITHSCORES')
  if first[2] then out[1] = first[2] end
  return out
end)

-- A send that failed for now: the head waits until `at` (epoch ms). A copy whose chat ended
-- meanwhile ('%') is dropped instead; returns 2 then, else 1.
fn('defer', {'chat', 'entry', 'at'}, function(a)
  for _, kind in ipairs({K.notices, K.copies}) do
    local head = redis.call('LINDEX', P .. kind .. a.chat, '0')
    if head and isEntry(head, a.entry) then
      redis.call('ZADD', P .. K.ready, a.at, a.chat)
      if kind == K.copies and dropEnded(a.chat, 'dropped_end') then return 2 end
      return 1
    end
  end
  return 1
end)

-- Keeps the leases of entries still being sent (held: chat, entry id pairs): a slow call in
-- flight is never handed to another sender; only a dead sender's lease runs out.
fn('renew', {'lease', '...held'}, function(a)
  local lease, h = tonumber(a.lease), a.held
  for i = 1, #h - 1, 2 do
    local chat = h[i]
    local head = redis.call('LINDEX', P .. K.notices .. chat, '0')
    if not head then head = redis.call('LINDEX', P .. K.copies .. chat, '0') end
    if head and isEntry(head, h[i + 1]) then
      redis.call('ZADD', P .. K.ready, int(now + lease), chat)
    end
  end
  return 1
end)
