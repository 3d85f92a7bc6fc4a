import { KEY } from './keys.js';
import { PRELUDE } from './lua-prelude.js';

/** ARGV: prefix, chat, queue, update id, payload, payload, … */
export const SAY = `${PRELUDE}
if seen(ARGV[3], ARGV[2], ARGV[4]) then return 'duplicate' end
for i = 5, #ARGV do push(ARGV[2], ARGV[i]) end
return 'said'
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
local ready = P .. '${KEY.ready}'
for i = 8, #ARGV - 1, 2 do
  local chat, entry = ARGV[i], ARGV[i + 1]
  local key = P .. '${KEY.outbox}' .. chat
  local head = redis.call('LINDEX', key, 0)
  -- Only the head it names: a late acknowledgement of an entry sent again changes nothing.
  if head and string.sub(head, 1, #entry + 1) == entry .. ' ' then redis.call('LPOP', key) end
  if redis.call('LLEN', key) == 0 then
    redis.call('ZREM', ready, chat)
  else
    redis.call('ZADD', ready, now, chat)
  end
end
if limit > 0 and rate > 0 then
  local b = redis.call('HMGET', P .. '${KEY.budget}', 'tokens', 'ts')
  local tokens = tonumber(b[1] or burst)
  local ts = tonumber(b[2] or now)
  tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  limit = math.min(limit, math.floor(tokens))
  redis.call('HSET', P .. '${KEY.budget}', 'tokens', tokens, 'ts', now)
end
local out = {''}
local taken = 0
if limit > 0 then
  local due = redis.call('ZRANGEBYSCORE', ready, '-inf', now, 'LIMIT', 0, limit)
  for _, chat in ipairs(due) do
    local head = redis.call('LINDEX', P .. '${KEY.outbox}' .. chat, 0)
    if not head then
      redis.call('ZREM', ready, chat)
    else
      local pk = P .. '${KEY.pace}' .. chat
      local p = redis.call('HMGET', pk, 'tokens', 'ts')
      local tokens = tonumber(p[1] or chatBurst)
      local ts = tonumber(p[2] or now)
      tokens = math.min(chatBurst, tokens + (now - ts) * chatRate / 1000)
      if tokens < 1 then
        redis.call('ZADD', ready, now + math.ceil((1 - tokens) * 1000 / chatRate), chat)
      else
        redis.call('HSET', pk, 'tokens', tokens - 1, 'ts', now)
        redis.call('PEXPIRE', pk, math.ceil(chatBurst * 1000 / chatRate) + 1000)
        redis.call('ZADD', ready, now + lease, chat)
        out[#out + 1] = chat
        out[#out + 1] = head
        taken = taken + 1
      end
    end
  end
end
if rate > 0 and taken > 0 then redis.call('HINCRBYFLOAT', P .. '${KEY.budget}', 'tokens', -taken) end
local first = redis.call('ZRANGE', ready, 0, 0, 'WITHSCORES')
if first[2] then out[1] = first[2] end
return out
`;

/** ARGV: prefix, chat, entry id, due epoch ms. */
export const DEFER = `${PRELUDE}
local head = redis.call('LINDEX', P .. '${KEY.outbox}' .. ARGV[2], 0)
if head and string.sub(head, 1, #ARGV[3] + 1) == ARGV[3] .. ' ' then
  redis.call('ZADD', P .. '${KEY.ready}', ARGV[4], ARGV[2])
end
return 1
`;
