import { KEY } from './keys.js';
import { say } from './lua/base.js';
import { PRELUDE } from './lua/prelude.js';

const BC = `P .. '${KEY.broadcast}'`;

/** ARGV 3: admin chat; 4: the call (JSON); 5: how many users it will reach. */
export const BC_START = `${PRELUDE}
if redis.call('HGET', ${BC}, 'state') == 'running' then
  notice(ARGV[3], ${say('broadcastBusy')})
  return 0
end
redis.call('DEL', ${BC})
redis.call('HSET', ${BC}, 'state', 'running', 'admin', ARGV[3], 'call', ARGV[4], 'cursor', 0,
  'total', ARGV[5], 'queued', 0, 'sent', 0, 'failed', 0, 'all', 0, 'told', now)
notice(ARGV[3], ${say('broadcastStarted')} .. '?total=' .. ARGV[5])
return 1
`;

/** ARGV 3: the new cursor; 4: '1' when these are the last; 5…: chats. */
export const BC_ENQUEUE = `${PRELUDE}
if redis.call('HGET', ${BC}, 'state') ~= 'running' then return 0 end
local call = redis.call('HGET', ${BC}, 'call')
for i = 5, #ARGV do notice(ARGV[i], '!' .. call) end
redis.call('HINCRBY', ${BC}, 'queued', #ARGV - 4)
redis.call('HSET', ${BC}, 'cursor', ARGV[3])
if ARGV[4] == '1' then redis.call('HSET', ${BC}, 'all', 1) end
return 1
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
