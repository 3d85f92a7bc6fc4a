-- Reports, blocks and bans.

-- /report: ends the chat at once (the reporter wants out) and asks why; the answer records the
-- report. After a chat, the last partner can still be reported for a while. The question names
-- its chat by sequence number (never the partner's id), and the user's record keeps that
-- question's chat, partner and end (rpc, rpp, rpat), so a reason pressed after another chat
-- still reports the partner it was asked about.
userFn('report', {'chat', 'queue', 'update'}, function(_, me, _, u)
  local uk = ukey(me)
  local partner, chat, endedAt, dropped = u[2], u[5], u[3], 0
  if u[1] == 'chatting' then
    chat, endedAt = u[4], now
    partner, dropped = endChat(me, 'report', '@youEnded', '@partnerLeft')
  elseif not partner or now - tonumber(endedAt or 0) > C.reportableMs then
    notice(me, '@reportNothing')
    return {'nothing'}
  end
  -- A chat that ended before chats were numbered is named 0, as its buttons carry it.
  if not chat or chat == '' then chat = '0' end
  redis.call('HSET', uk, 'rpc', chat, 'rpp', partner, 'rpat', endedAt)
  notice(me, ref('reportAsk', 'c', chat))
  return {'asked', partner, dropped}
end, {user = {'state', 'lastp', 'lastpat', 'chat', 'lastc'}})

-- The reason of a report (query: the press to answer; about: the chat the question was about).
-- Reports the partner of that chat while it is reportable; a question replaced by a later
-- /report is answered "no longer valid". Recorded once per reporter and reported user; the two
-- never meet again; enough distinct reporters within the window ban the reported user for
-- reportBanMs.
userFn('reportReason', {'chat', 'queue', 'update', 'reason', 'query', 'about'}, function(a, me, _, u)
  local target = u[1]
  if not target or now - tonumber(u[2] or 0) > C.reportableMs or u[3] ~= a.about then
    answerPress(me, a.query, 'unknownButton')
    return {'expired'}
  end
  answerPress(me, a.query, 'settingsSaved')
  blockPair(me, target)
  local rk = P .. K.reports .. target
  local fresh = redis.call('ZADD', rk, 'NX', nowText, me) == 1
  if not fresh then
    notice(me, '@reportThanks')
    return {'again', target}
  end
  journal('kind', 'report', 'reporter', me, 'reported', target, 'reason', a.reason)
  stat('reports', 1)
  notice(me, '@reportThanks')
  redis.call('ZREMRANGEBYSCORE', rk, '-inf', int(now - C.reportWindowMs))
  redis.call('PEXPIRE', rk, CT.reportWindowMs)
  local bannedNow = ''
  if redis.call('ZCARD', rk) >= C.reportThreshold and not redis.call('GET', P .. K.ban .. target) then
    ban(target, now + C.reportBanMs, 'reports', '')
    bannedNow = '1'
  end
  return {'reported', target, bannedNow}
end, {user = {'rpp', 'rpat', 'rpc'}})

-- /block: ends the chat and keeps the two apart for good.
userFn('block', {'chat', 'queue', 'update'}, function(_, me, _, u)
  if u[1] ~= 'chatting' then
    notice(me, '@blockNothing')
    return {'nothing'}
  end
  local partner, dropped = endChat(me, 'block', '@blockDone', '@partnerLeft')
  blockPair(me, partner)
  journal('kind', 'block', 'blocker', me, 'blocked', partner)
  return {'blocked', partner, dropped}
end, {user = {'state'}})

-- An admin's ban of a user, until an epoch ms ('' for good).
fn('ban', {'chat', 'endsAt', 'admin'}, function(a)
  ban(a.chat, tonumber(a.endsAt), 'admin', a.admin)
  return {'banned'}
end)

-- An admin's unban of a user.
fn('unban', {'chat', 'admin'}, function(a)
  local was = redis.call('DEL', P .. K.ban .. a.chat) == 1
  redis.call('DEL', P .. K.banTold .. a.chat, P .. K.reports .. a.chat)
  journal('kind', 'unban', 'chat', a.chat, 'by', a.admin)
  if was then
    notice(a.chat, '@unbanned')
    return {'unbanned'}
  end
  return {'not-banned'}
end)
