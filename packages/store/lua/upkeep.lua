-- Periodic work, run by the one worker holding the lease, and what /stats reads.

-- Takes up to `limit` due timers. Each timer is one rule: an idle chat ends (both told), a
-- queue place nobody acted on expires (told), a skipped recent partner ages out or a long wait
-- widens the filters (match again). Returns counts: ended, expired, matched, the ms the matched
-- had waited in total, and how many timers were due.
fn('sweep', {'limit'}, function(a)
  local due = redis.call('ZRANGEBYSCORE', P .. K.timers, '-inf', nowText, 'LIMIT', '0', a.limit)
  local ended, expired, matched, waitedTotal = 0, 0, 0, 0
  for _, member in ipairs(due) do
    redis.call('ZREM', P .. K.timers, member)
    local kind, chat = string.match(member, '^(%a+):(.+)$')
    local state = redis.call('HGET', ukey(chat), 'state')
    if kind == 'ix' and state == 'chatting' then
      endChat(chat, 'idle', '@idleEnded', '@idleEnded')
      ended = ended + 1
    elseif kind == 'qx' and state == 'queued' then
      leaveQueue(chat)
      notice(chat, '@queueExpired')
      expired = expired + 1
    elseif (kind == 'rm' or kind == 'wd') and state == 'queued' then
      if kind == 'wd' then redis.call('HSET', ukey(chat), 'wd', '1') end
      local got, _, waited = matchOrQueue(chat, profileOf(chat))
      if got == 'matched' then
        matched = matched + 1
        waitedTotal = waitedTotal + waited
      end
    end
  end
  return {ended, expired, matched, waitedTotal, #due}
end)

-- The periodic-work lease: 1 when `owner` holds it now (taken or kept for `ms`), else 0.
fn('lease', {'owner', 'ms'}, function(a)
  local k = P .. K.lease
  local holder = redis.call('GET', k)
  if holder == a.owner then
    redis.call('PEXPIRE', k, a.ms)
    return 1
  end
  if holder then return 0 end
  redis.call('SET', k, a.owner, 'PX', a.ms)
  return 1
end)

-- The lease holder letting go.
fn('release', {'owner'}, function(a)
  local k = P .. K.lease
  if redis.call('GET', k) == a.owner then redis.call('DEL', k) end
  return 1
end)

-- Waiting users per bucket without its range part (the accepted ages would multiply the
-- series by ten and tell an operator little), as bucket, waiting, bucket, waiting...
local function waitingByBucket(out)
  for _, bucket in ipairs(allBases()) do
    local waiting = 0
    for _, part in ipairs(rangesIn(bucket)) do
      waiting = waiting + redis.call('ZCARD', P .. K.queue .. bucket .. ':' .. part)
    end
    out[#out + 1] = bucket
    out[#out + 1] = waiting
  end
  return out
end

-- What /stats and the cluster-wide gauges show, read at once (window: the ms of "online").
-- Returns online, the counters hash (flat, joined by commas), the earliest due time ('' if
-- nothing is owed), the time, the counters of about a minute ago (flat, with '_at'), the
-- journal's length, then the waiting users by bucket.
fn('stats', {'window'}, function(a)
  local online = redis.call('ZCOUNT', P .. K.active, now - tonumber(a.window), '+inf')
  redis.call('ZREMRANGEBYSCORE', P .. K.active, '-inf', int(now - 86400000))
  local counters = redis.call('HGETALL', P .. K.stats)
  local first = redis.call('ZRANGE', P .. K.ready, '0', '0', 'WITHSCORES')
  -- The counters as they were about a minute ago, for rates: the snapshot moves on once a minute.
  local prevKey = P .. K.stats .. ':prev'
  local prev = redis.call('HGETALL', prevKey)
  local prevAt = nil
  for i = 1, #prev, 2 do if prev[i] == '_at' then prevAt = tonumber(prev[i + 1]) end end
  if not prevAt or now - prevAt >= 60000 then
    redis.call('DEL', prevKey)
    redis.call('HSET', prevKey, '_at', nowText, unpack(counters))
  end
  local backlog = redis.call('XLEN', P .. K.journal)
  return waitingByBucket({online, table.concat(counters, ','), first[2] or '', now,
    table.concat(prev, ','), backlog})
end)

-- The library's version, so a worker can refuse one newer than its own.
redis.register_function{function_name = 'version', callback = function() return VERSION end,
  flags = {'no-writes'}}
