import { KEY } from './keys.js';
import { say } from './lua/base.js';
import { PRELUDE } from './lua/prelude.js';

const BC = `P .. '${KEY.broadcast}'`;

/**
 * The admin's /broadcast. ARGV 3: admin chat; 4, 5: the update's Telegram queue and id ('' when
 * none); 6: the call (JSON); 7: how many users it will reach. Answers {'started'}, {'busy'}
 * (the admin told) or {'duplicate'} (a redelivered update: nothing starts twice). Each broadcast
 * gets the next id; its entries carry it, so one that was cancelled counts nowhere.
 */
export const BC_START = `${PRELUDE}
local admin = ARGV[3]
if seen(ARGV[4], admin, ARGV[5]) then return {'duplicate'} end
local b = redis.call('HMGET', ${BC}, 'state', 'id')
if b[1] == 'running' then
  notice(admin, ${say('broadcastBusy')})
  return {'busy'}
end
redis.call('DEL', ${BC})
redis.call('HSET', ${BC}, 'id', int((tonumber(b[2]) or 0) + 1), 'state', 'running', 'admin', admin,
  'call', ARGV[6], 'cursor', 0, 'total', ARGV[7], 'queued', 0, 'sent', 0, 'failed', 0, 'all', 0,
  'told', now)
notice(admin, ${say('broadcastStarted')} .. '?total=' .. ARGV[7])
return {'started'}
`;

/**
 * The admin's /broadcast cancel. ARGV 3: admin chat; 4, 5: the update's queue and id. Entries
 * still queued are dropped when the dispatcher reaches them. Answers {'cancelled'},
 * {'not-running'} (the admin told either way) or {'duplicate'}.
 */
export const BC_CANCEL = `${PRELUDE}
local admin = ARGV[3]
if seen(ARGV[4], admin, ARGV[5]) then return {'duplicate'} end
local b = redis.call('HMGET', ${BC}, 'state', 'total', 'sent', 'failed')
if b[1] ~= 'running' then
  notice(admin, ${say('broadcastNotRunning')})
  return {'not-running'}
end
local sent, failed = tonumber(b[3]), tonumber(b[4])
redis.call('HSET', ${BC}, 'state', 'cancelled')
notice(admin, ${say('broadcastCancelled')} .. '?sent=' .. sent .. '&failed=' .. failed .. '&unsent='
  .. int(math.max(0, tonumber(b[2]) - sent - failed)))
return {'cancelled'}
`;

/**
 * One page. ARGV 3: the lease holder queueing it; 4: the cursor it starts after; 5: the new
 * cursor; 6: '1' when it is the last; 7…: chats. Queued only while the caller holds the lease
 * and the cursor has not moved (a compare-and-set), so no page is queued twice. Answers
 * 'queued', 'stopped' (none running), 'not-holder' or 'moved'.
 */
export const BC_ENQUEUE = `${PRELUDE}
local b = redis.call('HMGET', ${BC}, 'state', 'cursor', 'id', 'call')
if b[1] ~= 'running' then return 'stopped' end
if redis.call('GET', P .. '${KEY.lease}') ~= ARGV[3] then return 'not-holder' end
if b[2] ~= ARGV[4] then return 'moved' end
for i = 7, #ARGV do notice(ARGV[i], '!' .. b[3] .. '|' .. b[4]) end
redis.call('HINCRBY', ${BC}, 'queued', #ARGV - 6)
redis.call('HSET', ${BC}, 'cursor', ARGV[5])
if ARGV[6] == '1' then redis.call('HSET', ${BC}, 'all', 1) end
return 'queued'
`;

/** ARGV 3: ms between progress notes to the admin. */
export const BC_CHECK = `${PRELUDE}
local b = redis.call('HMGET', ${BC}, 'state', 'admin', 'total', 'queued', 'sent', 'failed', 'all', 'told')
if b[1] ~= 'running' then return b[1] or '' end
local queued, sent, failed = tonumber(b[4]), tonumber(b[5]), tonumber(b[6])
if b[7] == '1' and sent + failed >= queued then
  redis.call('HSET', ${BC}, 'state', 'done')
  notice(b[2], ${say('broadcastDone')} .. '?sent=' .. sent .. '&failed=' .. failed)
  return 'done'
end
if now - tonumber(b[8]) >= tonumber(ARGV[3]) then
  redis.call('HSET', ${BC}, 'told', now)
  notice(b[2], ${say('broadcastProgress')} .. '?queued=' .. queued .. '&total=' .. b[3] .. '&failed=' .. failed)
end
return 'running'
`;
