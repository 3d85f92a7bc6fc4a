import { say } from './lua/base.js';
import { PRELUDE, PRESS_STEP } from './lua/prelude.js';

/**
 * A profile answer or change from a button. ARGV 6: field (lang, gender, wants, range, xl,
 * prot); 7: value, already checked; 8: '1' during onboarding; 9: the callback query to answer.
 * Returns what followed: asked (the next question), done, saved, matched or queued; stale for
 * an onboarding button pressed after onboarding ended (it would change a waiting user's profile
 * behind their place in line): Settings is the way to change it then.
 */
export const CHANGE = `${PRESS_STEP('ARGV[9]')}
if ARGV[8] == '1' and not missing(profileOf(me)) then
  notice(me, ${say('unknownButton')} .. '?q=' .. ARGV[9])
  return {'stale'}
end
applyChange(me, ARGV[6], ARGV[7])
notice(me, ${say('settingsSaved')} .. '?q=' .. ARGV[9])
local kind, partner = afterChange(me, ARGV[8] == '1')
return {kind, partner or ''}
`;

/** Settings' "change age" (ARGV 6: the callback query): the next text is the new age. */
export const ASK_AGE = `${PRESS_STEP('ARGV[6]')}
if redis.call('HGET', uk, 'state') == 'chatting' then
  notice(me, ${say('finishChatFirst')} .. '?q=' .. ARGV[6])
  return {'refused'}
end
redis.call('HSET', uk, 'ask', 'newage')
notice(me, ${say('settingsSaved')} .. '?q=' .. ARGV[6])
notice(me, ${say('ageAsk')})
return {'asked'}
`;

/**
 * Rebuilds a user the store lost (Redis restored from an old backup, or lost) from what
 * Postgres saved, never over live state, nor for a user who erased their record (Redis was not
 * lost then; Postgres may not have caught up). ARGV 3: chat; 4-11: lang, gender, age, wants,
 * amin, amax, xl, prot; 12: the ban, "<end>:<reason>" (end: epoch ms or 'perm'; reason: admin
 * or reports) or ''; 13…: chats to keep apart from.
 */
export const RESTORE = `${PRELUDE}
local me = ARGV[3]
local uk = ukey(me)
if not missing(profileOf(me)) or redis.call('HEXISTS', uk, 'erased') == 1 then return 0 end
redis.call('HSET', uk, 'lang', ARGV[4], 'langok', '1', 'gender', ARGV[5], 'age', ARGV[6],
  'wants', ARGV[7], 'amin', ARGV[8], 'amax', ARGV[9], 'xl', ARGV[10], 'prot', ARGV[11])
redis.call('HDEL', uk, 'ask')
for i = 13, #ARGV do blockPair(me, ARGV[i]) end
local banEnd, banReason = string.match(ARGV[12], '^([^:]*):?(.*)$')
if banEnd == 'perm' then setBan(me, nil, banReason)
elseif banEnd ~= '' and tonumber(banEnd) > now then setBan(me, tonumber(banEnd), banReason) end
return 1
`;
