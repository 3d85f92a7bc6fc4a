-- Changing a profile: one field at a time, from onboarding's questions or from Settings. A
-- field arrives already checked (packages/domain parses every button and age); what is decided
-- here is what the change does to the rest: an age that crosses 18 resets the partner age range
-- to the new group, the end of onboarding runs a pending Find, and a waiting user's new filters
-- are matched at once (keeping their place in line).
local function applyChange(me, field, value)
  local uk = ukey(me)
  if field == 'lang' then redis.call('HSET', uk, 'lang', value, 'langok', '1')
  elseif field == 'gender' then redis.call('HSET', uk, 'gender', value)
  elseif field == 'wants' then redis.call('HSET', uk, 'wants', value)
  elseif field == 'xl' then redis.call('HSET', uk, 'xl', value)
  elseif field == 'prot' then redis.call('HSET', uk, 'prot', value)
  elseif field == 'range' then
    local lo, hi = string.match(value, '^(%d+)-(%d+)$')
    local age = tonumber(redis.call('HGET', uk, 'age') or '0')
    -- Ranges are for adults; a minor's range is always the minors'.
    if age >= ADULT and tonumber(lo) >= ADULT then redis.call('HSET', uk, 'amin', lo, 'amax', hi) end
  elseif field == 'age' then
    local old = tonumber(redis.call('HGET', uk, 'age') or '-1')
    local age = tonumber(value)
    redis.call('HSET', uk, 'age', age)
    redis.call('HDEL', uk, 'ask')
    if old < 0 or (old < ADULT) ~= (age < ADULT) then
      if age < ADULT then redis.call('HSET', uk, 'amin', AGEMIN, 'amax', ADULT - 1)
      else redis.call('HSET', uk, 'amin', ADULT, 'amax', AGEMAX) end
    end
  end
  if redis.call('HGET', uk, 'wants') == false then redis.call('HSET', uk, 'wants', 'any') end
end

local function journalProfile(me, p)
  journal('kind', 'profile', 'chat', me, 'lang', p.lang or '', 'gender', p.gender or '',
    'age', p.age or '', 'wants', p.wants or '', 'amin', p.amin or '', 'amax', p.amax or '',
    'xl', p.xl or '', 'prot', p.prot or '')
end

-- After a change: onboarding asks its next question or ends (running a pending Find); a waiting
-- user is matched again with the new filters. Returns what happened. msg: the message whose
-- button made the change, which the next question replaces (nil when none).
local function afterChange(me, onboarding, msg)
  local p = profileOf(me)
  local state = redis.call('HGET', ukey(me), 'state')
  if onboarding or state == nil or state == false or state == 'idle' then
    local field = missing(p)
    if field then
      if onboarding then ask(me, p, field, msg) end
      return 'asked'
    end
  end
  journalProfile(me, p)
  if onboarding then
    local pending = redis.call('HGET', ukey(me), 'pend')
    notice(me, '@profileDone')
    if pending then
      redis.call('HDEL', ukey(me), 'pend')
      local kind = matchOrQueue(me, p)
      if kind == 'queued' then notice(me, '@searching') end
      return kind
    end
    return 'done'
  end
  if state == 'queued' then return matchOrQueue(me, p) end
  return 'saved'
end
