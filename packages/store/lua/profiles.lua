-- Profile answers and changes from buttons, the rebuild of a lost user from Postgres, and
-- /delete.

-- A profile answer or change from a button (field: lang, gender, wants, range, xl or prot;
-- value: already checked; onboarding: '1' during onboarding; query: the press to answer;
-- message: the id of the message the button is on, '' if Telegram did not say).
-- Returns what followed: asked (the next question), done, saved, matched or queued; stale for
-- an onboarding button pressed after onboarding ended (it would change a waiting user's profile
-- behind their place in line): Settings is the way to change it then.
userFn('change', {'chat', 'queue', 'update', 'field', 'value', 'onboarding', 'query', 'message'},
    function(a, me)
  if a.onboarding == '1' and not missing(profileOf(me)) then
    answerPress(me, a.query, 'unknownButton')
    return {'stale'}
  end
  applyChange(me, a.field, a.value)
  answerPress(me, a.query, 'settingsSaved')
  local kind, partner = afterChange(me, a.onboarding == '1', a.message)
  return {kind, partner or ''}
end)

-- Settings' "change age" (query: the press to answer): the next text is the new age.
userFn('askAge', {'chat', 'queue', 'update', 'query'}, function(a, me, _, u)
  local uk = ukey(me)
  if u[1] == 'chatting' then
    answerPress(me, a.query, 'finishChatFirst')
    return {'refused'}
  end
  redis.call('HSET', uk, 'ask', 'newage')
  answerPress(me, a.query, 'settingsSaved')
  notice(me, '@ageAsk')
  return {'asked'}
end, {user = {'state'}})

-- Rebuilds a user the store lost (Redis restored from an old backup, or lost) from what
-- Postgres saved, never over live state, nor for a user who erased their record (Redis was not
-- lost then; Postgres may not have caught up). ban: "<end>:<reason>" (end: epoch ms or 'perm';
-- reason: admin or reports) or ''; apart: chats to keep apart from.
fn('restore', {'chat', 'lang', 'gender', 'age', 'wants', 'amin', 'amax', 'xl', 'prot', 'ban',
  '...apart'}, function(a)
  local me = a.chat
  local uk = ukey(me)
  if not missing(profileOf(me)) or redis.call('HEXISTS', uk, 'erased') == 1 then return 0 end
  redis.call('HSET', uk, 'lang', a.lang, 'langok', '1', 'gender', a.gender, 'age', a.age,
    'wants', a.wants, 'amin', a.amin, 'amax', a.amax, 'xl', a.xl, 'prot', a.prot)
  redis.call('HDEL', uk, 'ask')
  for _, other in ipairs(a.apart) do blockPair(me, other) end
  local banEnd, banReason = string.match(a.ban, '^([^:]*):?(.*)$')
  if banEnd == 'perm' then setBan(me, nil, banReason)
  elseif banEnd ~= '' and tonumber(banEnd) > now then setBan(me, tonumber(banEnd), banReason) end
  return 1
end)

-- /delete, confirmed (query: the press to answer). Ends the chat or queue place first, as /stop
-- does, then erases the user's record (profile, state, last partners, recent partners) but its
-- language, so the bot can still answer them in it, and when it was erased. What stays, and
-- why: who they must never meet (blocks and reports, both ways: blk:), reports and bans about
-- them (rep:, ban:, kept while they count), de-duplication marks, and the flood bucket (the one
-- budget over every update: erasing must not refill it; it expires by itself). Postgres follows
-- through the journal. A banned user, as for every update, is only told they are banned: they
-- can erase their record once the ban ends.
userFn('erase', {'chat', 'queue', 'update', 'query'}, function(a, me, _, u)
  local uk = ukey(me)
  local partner, dropped = '', 0
  if u[1] == 'chatting' then
    partner, dropped = endChat(me, 'erase', false, '@partnerLeft')
  elseif u[1] == 'queued' then
    leaveQueue(me)
  end
  -- The marks of the other queues are kept (this one's, and the flood bucket, are written again
  -- when the call ends).
  local marks = redis.call('HMGET', uk, unpack(QUEUES))
  redis.call('DEL', uk, P .. K.recent .. me)
  -- 'erased' keeps the rebuild from Postgres from bringing back a profile not yet erased there.
  local kept, n = {'erased', nowText}, 2
  if u[2] then kept[3], kept[4], n = 'lang', u[2], 4 end
  for i, queue in ipairs(QUEUES) do
    if marks[i] then kept[n + 1], kept[n + 2], n = queue, marks[i], n + 2 end
  end
  redis.call('HSET', uk, unpack(kept, 1, n))
  answerPress(me, a.query, 'settingsSaved')
  notice(me, '@erased')
  journal('kind', 'erase', 'chat', me)
  return {'erased', partner, dropped}
end, {user = {'state', 'lang'}})
