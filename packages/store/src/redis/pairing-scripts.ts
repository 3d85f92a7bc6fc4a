import { KEY } from './keys.js';
import { PRELUDE, say } from './lua-prelude.js';

/** ARGV: prefix, chat, queue, update id, next (0|1), fallback bucket, fallback candidates (csv), scan depth, recent ms */
export const FIND = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local uk = P .. '${KEY.user}' .. me
local u = redis.call('HMGET', uk, 'state', 'bucket', 'cands')
local ended = ''
if u[1] == 'chatting' then
  if ARGV[5] ~= '1' then push(me, ${say('alreadyChatting')}) return {'already-chatting'} end
  ended = endChat(me, 'next', false, ${say('partnerEnded')})
elseif u[1] == 'queued' then
  push(me, ${say('alreadySearching')})
  return {'already-queued'}
end
local bucket = u[2] or ARGV[6]
local cands = u[3] or ARGV[7]
local depth = tonumber(ARGV[8])
local recentSince = now - tonumber(ARGV[9])
local recentKey = P .. '${KEY.recent}' .. me
redis.call('ZREMRANGEBYSCORE', recentKey, '-inf', recentSince)
local best, bestScore, bestBucket = nil, nil, nil
for b in string.gmatch(cands, '[^,]+') do
  local items = redis.call('ZRANGE', P .. '${KEY.queue}' .. b, 0, depth - 1, 'WITHSCORES')
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
  redis.call('ZREM', P .. '${KEY.queue}' .. bestBucket, best)
  local chat = redis.call('INCR', P .. '${KEY.chatSeq}')
  local bk = P .. '${KEY.user}' .. best
  redis.call('HDEL', bk, 'qbucket')
  redis.call('HSET', bk, 'state', 'chatting', 'partner', me, 'chat', chat, 'since', now, 'sent', 0)
  redis.call('HSET', uk, 'state', 'chatting', 'partner', best, 'chat', chat, 'since', now, 'sent', 0)
  redis.call('ZADD', recentKey, now, best)
  redis.call('PEXPIRE', recentKey, ARGV[9])
  local theirs = P .. '${KEY.recent}' .. best
  redis.call('ZADD', theirs, now, me)
  redis.call('PEXPIRE', theirs, ARGV[9])
  push(best, ${say('matched')})
  push(me, ${say('matched')})
  return {'matched', best, ended}
end
-- Scored by a sequence, not the clock: two users queued in one millisecond keep their order.
redis.call('ZADD', P .. '${KEY.queue}' .. bucket, redis.call('INCR', P .. '${KEY.queueSeq}'), me)
redis.call('HSET', uk, 'state', 'queued', 'qbucket', bucket, 'since', now)
push(me, ${say('searching')})
return {'queued', ended}
`;

/** ARGV: prefix, chat, queue, update id */
export const STOP = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local state = redis.call('HGET', P .. '${KEY.user}' .. me, 'state')
if state == 'chatting' then
  return {'ended', endChat(me, 'stop', ${say('youEnded')}, ${say('partnerEnded')})}
elseif state == 'queued' then
  leaveQueue(me)
  push(me, ${say('searchCancelled')})
  return {'left-queue'}
end
push(me, ${say('notChatting')})
return {'idle'}
`;

/** ARGV: prefix, chat, queue, update id, payload */
export const RELAY = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local uk = P .. '${KEY.user}' .. me
local u = redis.call('HMGET', uk, 'state', 'partner')
if u[1] ~= 'chatting' then
  push(me, ${say('notChatting')})
  return {'not-chatting'}
end
push(u[2], ARGV[5])
redis.call('HINCRBY', uk, 'sent', 1)
return {'relayed', u[2]}
`;

/** ARGV: prefix, chat, uid, bucket, candidates (csv) */
export const PROFILE = `${PRELUDE}
local uk = P .. '${KEY.user}' .. ARGV[2]
local u = redis.call('HMGET', uk, 'state', 'qbucket')
redis.call('HSET', uk, 'uid', ARGV[3], 'bucket', ARGV[4], 'cands', ARGV[5])
if u[1] == 'queued' and u[2] and u[2] ~= ARGV[4] then
  local old = P .. '${KEY.queue}' .. u[2]
  local place = redis.call('ZSCORE', old, ARGV[2])
  redis.call('ZREM', old, ARGV[2])
  -- Arrival numbers are global, so the old one keeps the user's place in the new bucket.
  redis.call('ZADD', P .. '${KEY.queue}' .. ARGV[4], place or redis.call('INCR', P .. '${KEY.queueSeq}'), ARGV[2])
  redis.call('HSET', uk, 'qbucket', ARGV[4])
end
return 1
`;

/** ARGV: prefix, chat, queue, update id */
export const BLOCKED = `${PRELUDE}
local me = ARGV[2]
if seen(ARGV[3], me, ARGV[4]) then return {'duplicate'} end
local state = redis.call('HGET', P .. '${KEY.user}' .. me, 'state')
local result = {'idle'}
if state == 'chatting' then
  result = {'ended', endChat(me, 'blocked', false, ${say('partnerLeft')})}
elseif state == 'queued' then
  leaveQueue(me)
  result = {'left-queue'}
end
redis.call('DEL', P .. '${KEY.outbox}' .. me)
redis.call('ZREM', P .. '${KEY.ready}', me)
return result
`;
