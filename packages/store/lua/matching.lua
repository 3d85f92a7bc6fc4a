-- Profiles, queues and pairs. A Find takes the longest-waiting user of its candidate buckets
-- who passes the per-person checks (not themselves, not a recent partner, not blocked either
-- way); the profile rule itself is stated once as a predicate in packages/domain ('accepts'),
-- and the contract suites hold this to it.
local PROFILE_FIELDS = {'lang', 'langok', 'gender', 'age', 'wants', 'amin', 'amax', 'xl', 'prot', 'wd'}

local function profileOf(me)
  local v = redis.call('HMGET', ukey(me), unpack(PROFILE_FIELDS))
  local p = {}
  for i, f in ipairs(PROFILE_FIELDS) do p[f] = v[i] end
  return p
end

-- The first part of the profile still to be asked, or nil when onboarding is done.
local function missing(p)
  if p.langok ~= '1' then return 'lang' end
  if not p.gender then return 'gender' end
  if not p.age then return 'age' end
  return nil
end

-- Asks for `field`. A question that follows one answered with a button (msg: the id of the
-- message that button was on) is said by editing that message in place ('e='), so onboarding
-- is one message however many questions it asks.
local function ask(me, p, field, msg)
  local r
  if field == 'lang' then r = ref('askLanguage', 'lang', p.lang or 'en')
  elseif field == 'gender' then r = '@askGender'
  else
    redis.call('HSET', ukey(me), 'ask', 'age')
    r = '@askAge'
  end
  if msg and string.find(msg, '^%d+$') then
    r = r .. (string.find(r, '?', 1, true) and '&e=' or '?e=') .. msg
  end
  notice(me, r)
end

-- Does a waiting candidate pass the per-person checks? 'recent' when only recency stops them.
local function fits(me, age, cand, recentKey)
  if cand == me then return false end
  if redis.call('SISMEMBER', P .. K.blocks .. me, cand) == 1 then return false end
  local c = profileOf(cand)
  if not c.age then return false end
  local lo, hi = rangeOf(c)
  if age < lo or age > hi then return false end
  if redis.call('ZSCORE', recentKey, cand) then return 'recent' end
  return true
end

-- The first member of a bucket the finder may meet, if one waits ahead of a place in line
-- ('before', nil for none); and when the first skipped recent partner ages out. The bucket is
-- read a page of scanDepth at a time, only past those the finder may not meet (itself, whom it
-- blocked or reported, its recent partners): the work is bounded by what the finder excluded,
-- never by the length of the line.
local function firstIn(bucket, me, age, recentKey, before, retryAt)
  local from = 0
  while true do
    local items = redis.call('ZRANGE', P .. K.queue .. bucket, from, from + C.scanDepth - 1, 'WITHSCORES')
    for i = 1, #items, 2 do
      local cand, score = items[i], tonumber(items[i + 1])
      if before and score >= before then return nil, nil, retryAt end
      local ok = fits(me, age, cand, recentKey)
      if ok == 'recent' then
        local until_ = tonumber(redis.call('ZSCORE', recentKey, cand)) + C.recentPartnerMs
        if not retryAt or until_ < retryAt then retryAt = until_ end
      elseif ok then
        return cand, score, retryAt
      end
    end
    if #items < 2 * C.scanDepth then return nil, nil, retryAt end
    from = from + C.scanDepth
  end
end

-- The longest-waiting user both sides accept, and its bucket; and when a skipped recent partner
-- ages out (to look again then). Every member of a candidate bucket accepts the finder's
-- profile and the other way round, so two users who may meet are never both left waiting.
local NONE = {}
local function findPartner(me, p)
  local recentKey = P .. K.recent .. me
  redis.call('ZREMRANGEBYSCORE', recentKey, '-inf', int(now - C.recentPartnerMs))
  local age = tonumber(p.age)
  local band = bandOf(age)
  local best, bestScore, bestBucket, retryAt = nil, nil, nil, nil
  local bases = candidates(p)
  local present = waitingBases(bases)
  for i, base in ipairs(bases) do
    for _, part in ipairs(present[i] == 1 and rangesIn(base) or NONE) do
      if rangeHas(part, band) then
        local b = base .. ':' .. part
        local cand, score
        cand, score, retryAt = firstIn(b, me, age, recentKey, bestScore, retryAt)
        if cand then best, bestScore, bestBucket = cand, score, b end
      end
    end
  end
  return best, bestBucket, retryAt
end

local function clearQueueFields(me)
  redis.call('HDEL', ukey(me), 'qb', 'qs', 'qsince', 'wd', 'pend')
  untimer('qx', me)
  untimer('wd', me)
  untimer('rm', me)
end

local function leaveQueue(me)
  local qb = redis.call('HGET', ukey(me), 'qb')
  if qb then queueRemove(qb, me) end
  redis.call('HSET', ukey(me), 'state', 'idle')
  clearQueueFields(me)
end

-- How many messages a user has sent in all (n, counted by relay; in the gate's own hash before
-- version 6, until the user's next update). A chat keeps the count its users had when it began
-- (sent0), so it knows how many went in it; a chat begun before the count was kept counted in
-- its own field, sent.
local function sentSoFar(chat)
  return redis.call('HGET', ukey(chat), 'n') or redis.call('HGET', P .. K.gate .. chat, 'n') or '0'
end
local function sentInChat(chat, sent, sent0)
  return (tonumber(sent) or 0) + tonumber(sentSoFar(chat)) - (tonumber(sent0) or 0)
end

-- Pairs two users; returns how long the one who waited had waited (ms).
local function pair(me, best, bestBucket)
  local bk = ukey(best)
  local waited = now - (tonumber(redis.call('HGET', bk, 'qsince')) or now)
  queueRemove(bestBucket, best)
  local mine = redis.call('HGET', ukey(me), 'qb')
  if mine then queueRemove(mine, me) end
  clearQueueFields(best)
  clearQueueFields(me)
  local chat = redis.call('INCR', P .. K.chatSeq)
  redis.call('HSET', bk, 'state', 'chatting', 'partner', me, 'chat', chat, 'since', nowText,
    'sent0', sentSoFar(best))
  redis.call('HSET', ukey(me), 'state', 'chatting', 'partner', best, 'chat', chat, 'since', nowText,
    'sent0', sentSoFar(me))
  for _, pairOf in ipairs({{me, best}, {best, me}}) do
    local rk = P .. K.recent .. pairOf[1]
    redis.call('ZADD', rk, nowText, pairOf[2])
    redis.call('PEXPIRE', rk, CT.recentPartnerMs)
  end
  timer('ix', pairTimer(me, best), now + C.idleChatMs)
  stat('matches', 1)
  stat('chatting', 2)
  stat('waited_ms', waited)
  notice(best, '@matched')
  notice(me, '@matched')
  return waited
end

local function enqueue(me, p, place, retryAt)
  local bucket = bucketOf(p)
  local seq = place or redis.call('INCR', P .. K.queueSeq)
  queueAdd(bucket, seq, me)
  local uk = ukey(me)
  local since = redis.call('HGET', uk, 'qsince') or now
  redis.call('HSET', uk, 'state', 'queued', 'qb', bucket, 'qs', seq, 'qsince', since)
  redis.call('HDEL', uk, 'pend')
  -- A new place expires when its user does nothing for queueIdleMs; a kept place keeps its clock.
  if not place then timer('qx', me, now + C.queueIdleMs) end
  if C.widenAfterMs > 0 and p.wd ~= '1' then timer('wd', me, tonumber(since) + C.widenAfterMs) end
  if retryAt then timer('rm', me, retryAt) end
end

-- Match at once or wait in line: the one step behind Find, onboarding's end and a queued
-- user's change of filters. Returns 'matched', partner, waited or 'queued'.
local function matchOrQueue(me, p)
  local best, bestBucket, retryAt = findPartner(me, p)
  if best then return 'matched', best, pair(me, best, bestBucket) end
  local place = nil
  local qb = redis.call('HGET', ukey(me), 'qb')
  if qb then
    -- Already waiting (a change of filters): keep the place in line in the new bucket.
    place = redis.call('ZSCORE', P .. K.queue .. qb, me)
    queueRemove(qb, me)
  end
  enqueue(me, p, place, retryAt)
  return 'queued'
end

-- Ends a chat. The finished chat goes to the journal; copies still owed to either side are
-- dropped (they belong to this chat). Returns the partner ('' when there was none) and how
-- many copies were dropped.
local function endChat(me, reason, toMe, toPartner)
  local uk = ukey(me)
  local f = redis.call('HMGET', uk, 'partner', 'chat', 'since', 'sent', 'sent0')
  local partner = f[1]
  if not partner then
    redis.call('HSET', uk, 'state', 'idle')
    return '', 0
  end
  local pk = ukey(partner)
  local g = redis.call('HMGET', pk, 'partner', 'sent', 'sent0')
  local sa = sentInChat(me, f[4], f[5])
  local sb = sentInChat(partner, g[2], g[3])
  journal('kind', 'chat-ended', 'key', f[2] or '', 'a', me, 'b', partner, 'since', f[3] or now,
    'reason', reason, 'sa', int(sa), 'sb', int(sb))
  redis.call('HSET', uk, 'state', 'idle', 'lastp', partner, 'lastpat', nowText, 'lastc', f[2] or '')
  redis.call('HDEL', uk, 'partner', 'chat', 'since', 'sent', 'sent0')
  if g[1] == me then
    redis.call('HSET', pk, 'state', 'idle', 'lastp', me, 'lastpat', nowText, 'lastc', f[2] or '')
    redis.call('HDEL', pk, 'partner', 'chat', 'since', 'sent', 'sent0')
  end
  redis.call('DEL', messageMap(me, partner))
  untimer('ix', pairTimer(me, partner))
  stat('chatting', -2)
  local dropped = dropCopies(me) + dropCopies(partner)
  stat('dropped_end', dropped)
  if toMe then notice(me, toMe) end
  if toPartner then notice(partner, toPartner) end
  return partner, dropped
end

local function blockPair(a, b)
  redis.call('SADD', P .. K.blocks .. a, b)
  redis.call('SADD', P .. K.blocks .. b, a)
end

-- The ban mark itself: "<until>:<reason>", until an epoch ms (or 'perm' for good with nil),
-- reason who banned ('admin' or 'reports'), so the user is told which; banned() reads it.
-- Returns the mark.
local function setBan(target, until_, reason)
  local k = P .. K.ban .. target
  if until_ then
    local mark = int(until_) .. ':' .. reason
    redis.call('SET', k, mark, 'PX', math.max(1, until_ - now))
    return mark
  end
  redis.call('SET', k, 'perm:' .. reason)
  return 'perm:' .. reason
end

-- Bans a user until an epoch ms (or for good with nil): ends their chat or queue place and
-- tells them. Enforced by every step through banned().
local function ban(target, until_, reason, by)
  local mark = setBan(target, until_, reason)
  local state = redis.call('HGET', ukey(target), 'state')
  if state == 'chatting' then endChat(target, 'ban', false, '@partnerLeft')
  elseif state == 'queued' then leaveQueue(target) end
  redis.call('SET', P .. K.banTold .. target, nowText, 'PX', '3600000')
  tellBan(target, mark)
  journal('kind', 'ban', 'chat', target, 'until', until_ or '', 'reason', reason, 'by', by)
  stat('bans', 1)
end
