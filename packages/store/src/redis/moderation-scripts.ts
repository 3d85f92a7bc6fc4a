import { KEY } from './keys.js';
import { say } from './lua/base.js';
import { PRELUDE, PRESS_STEP, USER_STEP } from './lua/prelude.js';

/**
 * /report: ends the chat at once (the reporter wants out) and asks why; the answer records the
 * report. After a chat, the last partner can still be reported for a while. The question names
 * its chat by sequence number (never the partner's id), and the user's record keeps that
 * question's chat, partner and end (rpc, rpp, rpat), so a reason pressed after another chat
 * still reports the partner it was asked about.
 */
export const REPORT = `${USER_STEP}
local u = redis.call('HMGET', uk, 'state', 'lastp', 'lastpat', 'chat', 'lastc')
local partner, chat, endedAt, dropped = u[2], u[5], u[3], 0
if u[1] == 'chatting' then
  chat, endedAt = u[4], now
  partner, dropped = endChat(me, 'report', ${say('youEnded')}, ${say('partnerLeft')})
elseif not partner or now - tonumber(endedAt or 0) > C.reportableMs then
  notice(me, ${say('reportNothing')})
  return {'nothing'}
end
-- A chat that ended before chats were numbered is named 0, as its buttons carry it.
if not chat or chat == '' then chat = '0' end
redis.call('HSET', uk, 'rpc', chat, 'rpp', partner, 'rpat', endedAt)
notice(me, ${say('reportAsk')} .. '?c=' .. chat)
return {'asked', partner, dropped}
`;

/**
 * The reason of a report (ARGV 6: reason; 7: the callback query; 8: the chat the question was
 * about). Reports the partner of that chat while it is reportable; a question replaced by a
 * later /report is answered "no longer valid". Recorded once per reporter and reported user;
 * the two never meet again; enough distinct reporters within the window ban the reported user
 * for reportBanMs.
 */
export const REPORT_REASON = `${PRESS_STEP('ARGV[7]')}
local u = redis.call('HMGET', uk, 'rpp', 'rpat', 'rpc')
local target = u[1]
if not target or now - tonumber(u[2] or 0) > C.reportableMs or u[3] ~= ARGV[8] then
  notice(me, ${say('unknownButton')} .. '?q=' .. ARGV[7])
  return {'expired'}
end
notice(me, ${say('settingsSaved')} .. '?q=' .. ARGV[7])
blockPair(me, target)
local rk = P .. '${KEY.reports}' .. target
local fresh = redis.call('ZADD', rk, 'NX', now, me) == 1
if not fresh then
  notice(me, ${say('reportThanks')})
  return {'again', target}
end
journal('kind', 'report', 'reporter', me, 'reported', target, 'reason', ARGV[6])
stat('reports', 1)
notice(me, ${say('reportThanks')})
redis.call('ZREMRANGEBYSCORE', rk, '-inf', now - C.reportWindowMs)
redis.call('PEXPIRE', rk, C.reportWindowMs)
local banned_ = ''
if redis.call('ZCARD', rk) >= C.reportThreshold and not redis.call('GET', P .. '${KEY.ban}' .. target) then
  ban(target, now + C.reportBanMs, 'reports', '')
  banned_ = '1'
end
return {'reported', target, banned_}
`;

/** /block: ends the chat and keeps the two apart for good. */
export const BLOCK = `${USER_STEP}
if redis.call('HGET', uk, 'state') ~= 'chatting' then
  notice(me, ${say('blockNothing')})
  return {'nothing'}
end
local partner, dropped = endChat(me, 'block', ${say('blockDone')}, ${say('partnerLeft')})
blockPair(me, partner)
journal('kind', 'block', 'blocker', me, 'blocked', partner)
return {'blocked', partner, dropped}
`;

/** An admin's ban. ARGV 3: the user; 4: until (epoch ms, '' for good); 5: the admin's id. */
export const BAN = `${PRELUDE}
ban(ARGV[3], tonumber(ARGV[4]), 'admin', ARGV[5])
return {'banned'}
`;

/** An admin's unban. ARGV 3: the user; 4: the admin's id. */
export const UNBAN = `${PRELUDE}
local was = redis.call('DEL', P .. '${KEY.ban}' .. ARGV[3]) == 1
redis.call('DEL', P .. '${KEY.banTold}' .. ARGV[3], P .. '${KEY.reports}' .. ARGV[3])
journal('kind', 'unban', 'chat', ARGV[3], 'by', ARGV[4])
if was then notice(ARGV[3], ${say('unbanned')}) return {'unbanned'} end
return {'not-banned'}
`;
