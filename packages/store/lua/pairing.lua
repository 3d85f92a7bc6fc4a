-- A user's way through the bot: /start, Find, /stop, messages and edits during a chat, and
-- blocking the bot. Every function here takes the update's chat, Telegram queue and update id
-- first (gate).

-- /start, with the language Telegram suggests. Onboarding's next question, or a welcome.
-- Journaled: a user who blocked the bot and comes back starts it again, and is reachable.
userFn('start', {'chat', 'queue', 'update', 'langHint'}, function(a, me)
  local uk = ukey(me)
  journal('kind', 'started', 'chat', me)
  if not redis.call('HGET', uk, 'lang') then redis.call('HSET', uk, 'lang', a.langHint) end
  local p = profileOf(me)
  local field = missing(p)
  if field then
    ask(me, p, field)
    return {'onboarding'}
  end
  notice(me, ref('welcome', 'kb', kbOf(redis.call('HGET', uk, 'state'))))
  return {'welcome'}
end)

-- Find, or /next (next: '1'), with the language Telegram suggests. Before onboarding ends, Find
-- starts it and runs when it ends.
userFn('find', {'chat', 'queue', 'update', 'next', 'langHint'}, function(a, me, _, u)
  local uk = ukey(me)
  local state = u[1]
  local ended, dropped = '', 0
  if state == 'chatting' then
    if a.next ~= '1' then
      notice(me, '@alreadyChatting')
      return {'already-chatting'}
    end
    ended, dropped = endChat(me, 'next', false, '@partnerEnded')
  elseif state == 'queued' then
    timer('qx', me, now + C.queueIdleMs)
    notice(me, '@alreadySearching')
    return {'already-queued'}
  end
  if not redis.call('HGET', uk, 'lang') then redis.call('HSET', uk, 'lang', a.langHint) end
  local p = profileOf(me)
  local field = missing(p)
  if field then
    redis.call('HSET', uk, 'pend', '1')
    ask(me, p, field)
    return {'onboarding', ended, dropped}
  end
  local kind, partner, waited = matchOrQueue(me, p)
  if kind == 'matched' then return {'matched', ended, dropped, partner, waited} end
  notice(me, '@searching')
  return {'queued', ended, dropped}
end, {banRetold = true, user = {'state'}})

-- /stop: ends the chat or leaves the queue.
userFn('stop', {'chat', 'queue', 'update'}, function(_, me, _, u)
  local uk = ukey(me)
  local state = u[1]
  if state == 'chatting' then
    local partner, dropped = endChat(me, 'stop', '@youEnded', '@partnerEnded')
    return {'ended', partner, dropped}
  elseif state == 'queued' then
    leaveQueue(me)
    notice(me, '@searchCancelled')
    return {'left-queue'}
  end
  redis.call('HDEL', uk, 'pend')
  notice(me, '@notChatting')
  return {'idle'}
end, {user = {'state'}})

-- The parts of an album arrive one update each: they join one copyMessages entry that waits
-- albumWaitMs after its latest part. A part that finds the entry already due (maybe being sent)
-- starts a new one. Returns true when the part joined the partner's last entry.
local function gatherPart(ck, me, group, msg)
  local tail = redis.call('LINDEX', ck, '-1')
  if not tail then return false end
  local id, e = entryParts(tail)
  if not (e and e.k == 'copy' and e.group == group and e.from == me and tonumber(e.due) > now) then
    return false
  end
  e.ids[#e.ids + 1] = msg
  e.due = int(now + C.albumWaitMs)
  redis.call('LSET', ck, '-1', id .. ' ' .. cjson.encode(e))
  return true
end

-- The payload of a copy of message a.message (see entryParts). The common one, neither an
-- album's part nor a reply, is written as cjson writes it, without making its table: chat and
-- message ids are digits.
local function copyPayload(me, a, prot)
  local group, reply = a.group, a.replyTo
  if group == '' and reply == '' then
    return '{"k":"copy","from":"' .. me .. '","ids":["' .. a.message .. '"],'
      .. (prot and '"prot":true,' or '') .. '"due":"0"}'
  end
  return cjson.encode({
    k = 'copy', from = me, ids = {a.message},
    group = group ~= '' and group or nil,
    reply = reply ~= '' and reply or nil,
    prot = prot or nil,
    due = group ~= '' and int(now + C.albumWaitMs) or '0',
  })
end

-- A message (message: its id; group: its media group or ''; replyTo: the id it replies to or
-- ''; age: as an age, when it could be an answer: '' not text, 'bad', or the age; unknown: '1'
-- when it reads as an unknown command; refused: '1' when it must not be passed on, a contact).
-- During a chat it becomes a copy for the partner: the partner's outbox cap first, an album's
-- parts gathered into one entry (which takes no more room under the cap), a reply resolved when
-- it is sent.
userFn('relay', {'chat', 'queue', 'update', 'message', 'group', 'replyTo', 'age', 'unknown', 'refused'},
  function(a, me, f, u)
    local state = u[1]
    if u[3] and a.age ~= '' and state ~= 'chatting' then
      if a.age == 'bad' then
        notice(me, '@ageInvalid')
        return {'asked'}
      end
      applyChange(me, 'age', a.age)
      if u[3] == 'age' then return {afterChange(me, true)} end
      notice(me, ref('ageSaved', 'kb', kbOf(state)))
      return {afterChange(me, false)}
    end
    if state ~= 'chatting' then
      -- An album outside a chat is answered once, for its first part.
      if f.later then return {'not-chatting'} end
      local p = profileOf(me)
      local field = missing(p)
      if a.unknown == '1' then notice(me, ref('unknownCommand', 'kb', kbOf(state)))
      elseif field then
        ask(me, p, field)
        return {'onboarding'}
      elseif state == 'queued' then notice(me, '@alreadySearching')
      else notice(me, '@notChatting') end
      return {'not-chatting'}
    end
    if a.refused == '1' then
      notice(me, '@contactRefused')
      return {'refused'}
    end
    local partner, group = u[2], a.group
    local joined = group ~= '' and gatherPart(P .. K.copies .. partner, me, group, a.message)
    if not joined and not queueCopy(me, f, partner, copyPayload(me, a, u[4] == '1')) then
      return {'capped'}
    end
    f.sent, f.counted = f.sent + 1, true
    stat('messages', 1)
    -- The chat's idle timer moves with its messages. A sender who moved it less than a hundredth
    -- of idleChatMs ago leaves it be: it stands at least that late (a later chat's timer was set
    -- later still, when the chat began).
    if not (f.ix and now - f.ix < C.idleChatMs / 100) then
      timer('ix', pairTimer(me, partner), now + C.idleChatMs)
      f.ixAt = now
    end
    return {'relayed', partner}
  end, {user = {'state', 'partner', 'ask', 'prot'}})

-- An edited message (message: its id; call: the edit call's JSON, without chat or message id).
-- The partner's copy is edited too: which copy is resolved when the edit is sent, so an edit of
-- a message whose copy is still queued follows it. An edit is one more entry for the partner,
-- so it obeys the outbox cap like a new message.
userFn('edit', {'chat', 'queue', 'update', 'message', 'call'}, function(a, me, f, u)
  if u[1] ~= 'chatting' then return {'not-chatting'} end
  if not queueCopy(me, f, u[2], cjson.encode({k = 'edit', from = me, id = a.message, call = a.call})) then
    return {'capped'}
  end
  stat('edits', 1)
  return {'relayed', u[2]}
end, {user = {'state', 'partner'}})

-- The user blocked the bot (a 403 on send, or a my_chat_member update): ends their chat or
-- queue place, tells the partner, and discards everything still owed to them. Neither a ban
-- nor flood control stops it: it is not something the bot does for them.
fn('botBlocked', {'chat', 'queue', 'update'}, function(a)
  local me = a.chat
  if seenAlone(a.queue, me, a.update) then return {'duplicate'} end
  redis.call('ZADD', P .. K.active, nowText, me)
  local uk = ukey(me)
  local state = redis.call('HGET', uk, 'state')
  local result = {'idle'}
  if state == 'chatting' then
    local partner, dropped = endChat(me, 'blocked', false, '@partnerLeft')
    result = {'ended', partner, dropped}
  elseif state == 'queued' then
    leaveQueue(me)
    result = {'left-queue'}
  end
  redis.call('HDEL', uk, 'pend', 'ask')
  dropNotices(me)
  dropCopies(me)
  -- A copy a sender took stays until that attempt settles; should the sender die, the chat must
  -- stay scheduled, so the copy (an edit's text, say) is dropped when its lease runs out.
  if redis.call('LLEN', P .. K.copies .. me) == 0 then redis.call('ZREM', P .. K.ready, me) end
  journal('kind', 'bot-blocked', 'chat', me)
  return result
end)
