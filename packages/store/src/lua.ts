/**
 * Lua scripts of the Redis adapter. Every key starts with the prefix in ARGV[1], which carries
 * one hash tag (`…{h}:`), so all keys of a script hash to one slot and the scripts run on
 * Redis Cluster unchanged. KEYS[1] is always the outbox schedule, declared for routing.
 *
 * Redis does not roll a script back when it fails half-way, so each script reads and checks
 * everything before its first write.
 *
 * Key layout under the prefix:
 *   u:<chat>       hash: state (idle|queued|chatting), partner, chat, since, sent, uid, bucket, cands, qbucket
 *   q:<bucket>     zset of waiting chats, scored by arrival order (qseq)
 *   recent:<chat>  zset of recent partners, scored by match time
 *   hw:<q>:<chat>  highest update id taken from that Telegram queue (de-duplication)
 *   ob:<chat>      list of outbox entries "<id> <payload>" owed to the chat
 *   ready          zset of chats with entries, scored by when they may be sent (lease, pacing, retry_after)
 *   pace:<chat>    hash: token bucket of per-chat pacing
 *   budget         hash: token bucket of the global send budget
 *   fsm:<chat>     hash: v (version), s (state name), d (JSON data)
 *   ended          stream of finished chats, for the Postgres flusher
 */
const PRELUDE = `
local P = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function seen(queue, chat, upd)
  if upd == '' then return false end
  local k = P .. 'hw:' .. queue .. ':' .. chat
  local hw = redis.call('GET', k)
  if hw and tonumber(upd) <= tonumber(hw) then return true end
  redis.call('SET', k, upd, 'EX', 90000)
  return false
end

local function push(chat, payload)
  local id = redis.call('INCR', P .. 'seq')
  redis.call('RPUSH', P .. 'ob:' .. chat, id .. ' ' .. payload)
  redis.call('ZADD', P .. 'ready', 'NX', now, chat)
end

local function endChat(me, reason, toMe, toPartner)
  local uk = P .. 'u:' .. me
  local f = redis.call('HMGET', uk, 'partner', 'chat', 'since', 'sent', 'uid')
  local partner = f[1]
  if not partner then
    redis.call('HSET', uk, 'state', 'idle')
    return ''
  end
  local pk = P .. 'u:' .. partner
  local g = redis.call('HMGET', pk, 'partner', 'sent', 'uid')
  redis.call('XADD', P .. 'ended', 'MAXLEN', '~', 100000, '*',
    'key', f[2] or '', 'a', me, 'b', partner, 'uidA', f[5] or '', 'uidB', g[3] or '',
    'since', f[3] or now, 'at', now, 'reason', reason, 'sa', f[4] or 0, 'sb', g[2] or 0)
  redis.call('HSET', uk, 'state', 'idle')
  redis.call('HDEL', uk, 'partner', 'chat', 'since', 'sent')
  if g[1] == me then
    redis.call('HSET', pk, 'state', 'idle')
    redis.call('HDEL', pk, 'partner', 'chat', 'since', 'sent')
  end
  if toMe then push(me, toMe) end
  if toPartner then push(partner, toPartner) end
  return partner
end

local function leaveQueue(me)
  local uk = P .. 'u:' .. me
  local qb = redis.call('HGET', uk, 'qbucket')
  if qb then redis.call('ZREM', P .. 'q:' .. qb, me) end
  redis.call('HSET', uk, 'state', 'idle')
  redis.call('HDEL', uk, 'qbucket', 'since')
end
`;

/** ARGV: prefix, chat, queue, update id, next (0|1), fallback bucket, fallback candidates (csv), scan depth, recent ms */
export const FIND = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local uk = P .. 'u:' .. me
local u = redis.call('HMGET', uk, 'state', 'bucket', 'cands')
local ended = ''
if u[1] == 'chatting' then
  if ARGV[5] ~= '1' then push(me, '@alreadyChatting') return {'already-chatting'} end
  ended = endChat(me, 'next', false, '@partnerEnded')
elseif u[1] == 'queued' then
  push(me, '@alreadySearching')
  return {'already-queued'}
end
local bucket = u[2] or ARGV[6]
local cands = u[3] or ARGV[7]
local depth = tonumber(ARGV[8])
local recentSince = now - tonumber(ARGV[9])
local recentKey = P .. 'recent:' .. me
redis.call('ZREMRANGEBYSCORE', recentKey, '-inf', recentSince)
local best, bestScore, bestBucket = nil, nil, nil
for b in string.gmatch(cands, '[^,]+') do
  local items = redis.call('ZRANGE', P .. 'q:' .. b, 0, depth - 1, 'WITHSCORES')
  for i = 1, #items, 2 do
    local cand, score = items[i], tonumber(items[i + 1])
    if bestScore and score >= bestScore then break end
    if cand ~= me and not redis.call('ZSCORE', recentKey, cand) then
      best, bestScore, bestBucket = cand, score, b
      break
    end
  end
end
if best then
  redis.call('ZREM', P .. 'q:' .. bestBucket, best)
  local chat = redis.call('INCR', P .. 'chatseq')
  local bk = P .. 'u:' .. best
  redis.call('HDEL', bk, 'qbucket')
  redis.call('HSET', bk, 'state', 'chatting', 'partner', me, 'chat', chat, 'since', now, 'sent', 0)
  redis.call('HSET', uk, 'state', 'chatting', 'partner', best, 'chat', chat, 'since', now, 'sent', 0)
  redis.call('ZADD', recentKey, now, best)
  redis.call('PEXPIRE', recentKey, ARGV[9])
  local theirs = P .. 'recent:' .. best
  redis.call('ZADD', theirs, now, me)
  redis.call('PEXPIRE', theirs, ARGV[9])
  push(best, '@matched')
  push(me, '@matched')
  return {'matched', best, ended}
end
-- Scored by a sequence, not the clock: two users queued in one millisecond keep their order.
redis.call('ZADD', P .. 'q:' .. bucket, redis.call('INCR', P .. 'qseq'), me)
redis.call('HSET', uk, 'state', 'queued', 'qbucket', bucket, 'since', now)
push(me, '@searching')
return {'queued', ended}
`;

/** ARGV: prefix, chat, queue, update id */
export const STOP = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local state = redis.call('HGET', P .. 'u:' .. me, 'state')
if state == 'chatting' then
  return {'ended', endChat(me, 'stop', '@youEnded', '@partnerEnded')}
elseif state == 'queued' then
  leaveQueue(me)
  push(me, '@searchCancelled')
  return {'left-queue'}
end
push(me, '@notChatting')
return {'idle'}
`;

/** ARGV: prefix, chat, queue, update id, payload */
export const RELAY = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local uk = P .. 'u:' .. me
local u = redis.call('HMGET', uk, 'state', 'partner')
if u[1] ~= 'chatting' then
  push(me, '@notChatting')
  return {'not-chatting'}
end
push(u[2], ARGV[5])
redis.call('HINCRBY', uk, 'sent', 1)
return {'relayed', u[2]}
`;

/** ARGV: prefix, chat, queue, update id, payload, payload, … */
export const SAY = `${PRELUDE}
if seen(ARGV[3], ARGV[2], ARGV[4]) then return 'duplicate' end
for i = 5, #ARGV do push(ARGV[2], ARGV[i]) end
return 'said'
`;

/** ARGV: prefix, chat, uid, bucket, candidates (csv) */
export const PROFILE = `${PRELUDE}
local uk = P .. 'u:' .. ARGV[2]
local u = redis.call('HMGET', uk, 'state', 'qbucket')
redis.call('HSET', uk, 'uid', ARGV[3], 'bucket', ARGV[4], 'cands', ARGV[5])
if u[1] == 'queued' and u[2] and u[2] ~= ARGV[4] then
  local old = P .. 'q:' .. u[2]
  local place = redis.call('ZSCORE', old, ARGV[2])
  redis.call('ZREM', old, ARGV[2])
  -- Arrival numbers are global, so the old one keeps the user's place in the new bucket.
  redis.call('ZADD', P .. 'q:' .. ARGV[4], place or redis.call('INCR', P .. 'qseq'), ARGV[2])
  redis.call('HSET', uk, 'qbucket', ARGV[4])
end
return 1
`;

/** ARGV: prefix, chat, queue, update id */
export const BLOCKED = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local state = redis.call('HGET', P .. 'u:' .. me, 'state')
local result = {'idle'}
if state == 'chatting' then
  result = {'ended', endChat(me, 'blocked', false, '@partnerLeft')}
elseif state == 'queued' then
  leaveQueue(me)
  result = {'left-queue'}
end
redis.call('DEL', P .. 'ob:' .. me)
redis.call('ZREM', P .. 'ready', me)
return result
`;

/**
 * The dispatcher's one round trip: acknowledge what was delivered, then take what is due.
 * ARGV: prefix, limit, lease ms, chat rate/s, chat burst, global rate/s (0: none), global burst,
 * then pairs of delivered chat, entry id. Returns the next due time ('' when nothing is owed)
 * followed by chat, entry, chat, entry, … of the heads now leased to the caller.
 */
export const SETTLE = `${PRELUDE}
local limit = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local chatRate, chatBurst = tonumber(ARGV[4]), tonumber(ARGV[5])
local rate, burst = tonumber(ARGV[6]), tonumber(ARGV[7])
for i = 8, #ARGV - 1, 2 do
  local chat, entry = ARGV[i], ARGV[i + 1]
  local key = P .. 'ob:' .. chat
  local head = redis.call('LINDEX', key, 0)
  -- Only the head it names: a late acknowledgement of an entry sent again changes nothing.
  if head and string.sub(head, 1, #entry + 1) == entry .. ' ' then redis.call('LPOP', key) end
  if redis.call('LLEN', key) == 0 then
    redis.call('ZREM', P .. 'ready', chat)
  else
    redis.call('ZADD', P .. 'ready', now, chat)
  end
end
if limit > 0 and rate > 0 then
  local b = redis.call('HMGET', P .. 'budget', 'tokens', 'ts')
  local tokens = tonumber(b[1] or burst)
  local ts = tonumber(b[2] or now)
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  limit = math.min(limit, math.floor(tokens))
  redis.call('HSET', P .. 'budget', 'tokens', tokens, 'ts', now)
end
local out = {''}
local taken = 0
if limit > 0 then
  local due = redis.call('ZRANGEBYSCORE', P .. 'ready', '-inf', now, 'LIMIT', 0, limit)
  for _, chat in ipairs(due) do
    local head = redis.call('LINDEX', P .. 'ob:' .. chat, 0)
    if not head then
      redis.call('ZREM', P .. 'ready', chat)
    else
      local pk = P .. 'pace:' .. chat
      local p = redis.call('HMGET', pk, 'tokens', 'ts')
      local tokens = tonumber(p[1] or chatBurst)
      local ts = tonumber(p[2] or now)
      tokens = math.min(chatBurst, tokens + (now - ts) * chatRate / 1000)
      if tokens < 1 then
        redis.call('ZADD', P .. 'ready', now + math.ceil((1 - tokens) * 1000 / chatRate), chat)
      else
        redis.call('HSET', pk, 'tokens', tokens - 1, 'ts', now)
        redis.call('PEXPIRE', pk, math.ceil(chatBurst * 1000 / chatRate) + 1000)
        redis.call('ZADD', P .. 'ready', now + lease, chat)
        out[#out + 1] = chat
        out[#out + 1] = head
        taken = taken + 1
      end
    end
  end
end
if rate > 0 and taken > 0 then redis.call('HINCRBYFLOAT', P .. 'budget', 'tokens', -taken) end
local first = redis.call('ZRANGE', P .. 'ready', 0, 0, 'WITHSCORES')
if first[2] then out[1] = first[2] end
return out
`;

/** ARGV: prefix, chat, entry id, due epoch ms. */
export const DEFER = `${PRELUDE}
local head = redis.call('LINDEX', P .. 'ob:' .. ARGV[2], 0)
if head and string.sub(head, 1, #ARGV[3] + 1) == ARGV[3] .. ' ' then
  redis.call('ZADD', P .. 'ready', ARGV[4], ARGV[2])
end
return 1
`;

/** ARGV: prefix, chat, expected version, state name ('' deletes), data JSON, ttl seconds. */
export const FSM_WRITE = `${PRELUDE}
local k = P .. 'fsm:' .. ARGV[2]
local v = tonumber(redis.call('HGET', k, 'v') or '0')
if v ~= tonumber(ARGV[3]) then return 0 end
-- A deleted state keeps its version as a tombstone, so a writer holding an older version
-- cannot resurrect it.
if ARGV[4] == '' then
  redis.call('HDEL', k, 's', 'd')
  redis.call('HSET', k, 'v', v + 1)
else
  redis.call('HSET', k, 'v', v + 1, 's', ARGV[4], 'd', ARGV[5])
end
redis.call('EXPIRE', k, ARGV[6])
return 1
`;
