-- The admin's broadcast: numbered, queued a page at a time by the lease holder, counted as each
-- entry is delivered or not, cancellable.

-- /broadcast (admin: the admin's chat; queue, update: the update's, '' when none; call: the
-- call's JSON; total: how many users it will reach). Answers {'started'}, {'busy'} (the admin
-- told) or {'duplicate'} (a redelivered update: nothing starts twice). Each broadcast gets the
-- next number; its entries carry it, so one that was cancelled counts nowhere.
fn('bcStart', {'admin', 'queue', 'update', 'call', 'total'}, function(a)
  local admin, bk = a.admin, P .. K.broadcast
  if seenAlone(a.queue, admin, a.update) then return {'duplicate'} end
  local b = redis.call('HMGET', bk, 'state', 'id')
  if b[1] == 'running' then
    notice(admin, '@broadcastBusy')
    return {'busy'}
  end
  redis.call('DEL', bk)
  redis.call('HSET', bk, 'id', int((tonumber(b[2]) or 0) + 1), 'state', 'running', 'admin', admin,
    'call', a.call, 'cursor', 0, 'total', a.total, 'queued', 0, 'sent', 0, 'failed', 0, 'all', 0,
    'told', nowText)
  notice(admin, ref('broadcastStarted', 'total', a.total))
  return {'started'}
end)

-- /broadcast cancel. Entries still queued are dropped when the dispatcher reaches them. Answers
-- {'cancelled'}, {'not-running'} (the admin told either way) or {'duplicate'}.
fn('bcCancel', {'admin', 'queue', 'update'}, function(a)
  local admin, bk = a.admin, P .. K.broadcast
  if seenAlone(a.queue, admin, a.update) then return {'duplicate'} end
  local b = redis.call('HMGET', bk, 'state', 'total', 'sent', 'failed')
  if b[1] ~= 'running' then
    notice(admin, '@broadcastNotRunning')
    return {'not-running'}
  end
  local sent, failed = tonumber(b[3]), tonumber(b[4])
  redis.call('HSET', bk, 'state', 'cancelled')
  notice(admin, ref('broadcastCancelled', 'sent', sent, 'failed', failed,
    'unsent', int(math.max(0, tonumber(b[2]) - sent - failed))))
  return {'cancelled'}
end)

-- One page (holder: the lease holder queueing it; after: the cursor it starts after; cursor:
-- the new one; last: '1' when it is the last; chats). Queued only while the caller holds the
-- lease and the cursor has not moved (a compare-and-set), so no page is queued twice. Answers
-- 'queued', 'stopped' (none running), 'not-holder' or 'moved'.
fn('bcEnqueue', {'holder', 'after', 'cursor', 'last', '...chats'}, function(a)
  local bk = P .. K.broadcast
  local b = redis.call('HMGET', bk, 'state', 'cursor', 'id', 'call')
  if b[1] ~= 'running' then return 'stopped' end
  if redis.call('GET', P .. K.lease) ~= a.holder then return 'not-holder' end
  if b[2] ~= a.after then return 'moved' end
  local payload = cjson.encode({k = 'bc', bc = b[3], call = b[4]})
  for _, chat in ipairs(a.chats) do notice(chat, payload) end
  redis.call('HINCRBY', bk, 'queued', #a.chats)
  redis.call('HSET', bk, 'cursor', a.cursor)
  if a.last == '1' then redis.call('HSET', bk, 'all', '1') end
  return 'queued'
end)

-- Finishes a broadcast once every entry is counted, and tells the admin how it goes every
-- `every` ms. Answers the broadcast's state.
fn('bcCheck', {'every'}, function(a)
  local bk = P .. K.broadcast
  local b = redis.call('HMGET', bk, 'state', 'admin', 'total', 'queued', 'sent', 'failed', 'all', 'told')
  if b[1] ~= 'running' then return b[1] or '' end
  local queued, sent, failed = tonumber(b[4]), tonumber(b[5]), tonumber(b[6])
  if b[7] == '1' and sent + failed >= queued then
    redis.call('HSET', bk, 'state', 'done')
    notice(b[2], ref('broadcastDone', 'sent', sent, 'failed', failed))
    return 'done'
  end
  if now - tonumber(b[8]) >= tonumber(a.every) then
    redis.call('HSET', bk, 'told', nowText)
    notice(b[2], ref('broadcastProgress', 'queued', queued, 'total', b[3], 'failed', failed))
  end
  return 'running'
end)
