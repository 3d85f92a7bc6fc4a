import { KEY } from './keys.js';
import { say } from './lua/base.js';
import { PRELUDE } from './lua/prelude.js';

/**
 * Periodic work, run by the one worker holding the lease. ARGV 3: how many due timers to take.
 * Each timer is one rule: an idle chat ends (both told), a queue place nobody acted on expires
 * (told), a skipped recent partner ages out or a long wait widens the filters (match again).
 * Returns counts: ended, expired, matched, and the ms the matched had waited, in total.
 */
export const SWEEP = `${PRELUDE}
local due = redis.call('ZRANGEBYSCORE', P .. '${KEY.timers}', '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local ended, expired, matched, waitedTotal = 0, 0, 0, 0
for _, member in ipairs(due) do
  redis.call('ZREM', P .. '${KEY.timers}', member)
  local kind, chat = string.match(member, '^(%a+):(.+)$')
  local state = redis.call('HGET', ukey(chat), 'state')
  if kind == 'ix' and state == 'chatting' then
    endChat(chat, 'idle', ${say('idleEnded')}, ${say('idleEnded')})
    ended = ended + 1
  elseif kind == 'qx' and state == 'queued' then
    leaveQueue(chat)
    notice(chat, ${say('queueExpired')})
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
`;

/** ARGV 3: the would-be holder; 4: lease ms. 1 when the caller holds the lease now. */
export const LEASE = `${PRELUDE}
local k = P .. '${KEY.lease}'
local holder = redis.call('GET', k)
if holder == ARGV[3] then
  redis.call('PEXPIRE', k, ARGV[4])
  return 1
end
if holder then return 0 end
redis.call('SET', k, ARGV[3], 'PX', ARGV[4])
return 1
`;

/** ARGV 3: the lease holder letting go. */
export const RELEASE = `${PRELUDE}
local k = P .. '${KEY.lease}'
if redis.call('GET', k) == ARGV[3] then redis.call('DEL', k) end
return 1
`;

/**
 * What /stats and the cluster-wide gauges show, read in one step. ARGV 3: the window (ms) of
 * "online". Returns online, the counters hash (flat), the earliest due time ('' if nothing is
 * owed), the time, the counters of about a minute ago (flat, with '_at'), the journal's length,
 * then bucket, waiting, bucket, waiting… for every bucket without its range part (the accepted
 * ages would multiply the series by ten and tell an operator little).
 */
export const STATS = `${PRELUDE}
local online = redis.call('ZCOUNT', P .. '${KEY.active}', now - tonumber(ARGV[3]), '+inf')
redis.call('ZREMRANGEBYSCORE', P .. '${KEY.active}', '-inf', now - 86400000)
local counters = redis.call('HGETALL', P .. '${KEY.stats}')
local first = redis.call('ZRANGE', P .. '${KEY.ready}', 0, 0, 'WITHSCORES')
-- The counters as they were about a minute ago, for rates: the snapshot moves on once a minute.
local prevKey = P .. '${KEY.stats}' .. ':prev'
local prev = redis.call('HGETALL', prevKey)
local prevAt = nil
for i = 1, #prev, 2 do if prev[i] == '_at' then prevAt = tonumber(prev[i + 1]) end end
if not prevAt or now - prevAt >= 60000 then
  redis.call('DEL', prevKey)
  redis.call('HSET', prevKey, '_at', int(now), unpack(counters))
end
local journal = redis.call('XLEN', P .. '${KEY.journal}')
local out = {online, table.concat(counters, ','), first[2] or '', now, table.concat(prev, ','), journal}
for _, g in ipairs({'m', 'f'}) do
  for _, w in ipairs({'m', 'f', 'any'}) do
    for _, l in ipairs(LANGS) do
      for _, x in ipairs({'s', 'a'}) do
        for _, b in ipairs(BANDS) do
          local bucket = g .. ':' .. w .. ':' .. l .. ':' .. x .. ':' .. b[1]
          local waiting = 0
          for _, part in ipairs(rangesIn(bucket)) do
            waiting = waiting + redis.call('ZCARD', P .. '${KEY.queue}' .. bucket .. ':' .. part)
          end
          out[#out + 1] = bucket
          out[#out + 1] = waiting
        end
      end
    end
  end
end
return out
`;
