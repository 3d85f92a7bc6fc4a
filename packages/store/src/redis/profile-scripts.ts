import { say } from './lua/base.js';
import { USER_STEP } from './lua/prelude.js';

/**
 * A profile answer or change from a button. ARGV 6: field (lang, gender, wants, range, xl,
 * prot); 7: value, already checked; 8: '1' during onboarding; 9: the callback query to answer.
 * Returns what followed: asked (the next question), done, saved, matched or queued.
 */
export const CHANGE = `${USER_STEP}
applyChange(me, ARGV[6], ARGV[7])
notice(me, ${say('settingsSaved')} .. '?q=' .. ARGV[9])
local kind, partner = afterChange(me, ARGV[8] == '1')
return {kind, partner or ''}
`;

/** Settings' "change age" (ARGV 6: the callback query): the next text is the new age. */
export const ASK_AGE = `${USER_STEP}
if redis.call('HGET', uk, 'state') == 'chatting' then
  notice(me, ${say('finishChatFirst')} .. '?q=' .. ARGV[6])
  return {'refused'}
end
redis.call('HSET', uk, 'ask', 'newage')
notice(me, ${say('settingsSaved')} .. '?q=' .. ARGV[6])
notice(me, ${say('ageAsk')})
return {'asked'}
`;
