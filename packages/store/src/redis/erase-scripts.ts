import { KEY } from './keys.js';
import { say } from './lua/base.js';
import { PRESS_STEP } from './lua/prelude.js';

/**
 * /delete, confirmed (ARGV 6: the callback query). Ends the chat or queue place first, as /stop
 * does, then erases the user's record (profile, state, last partners, recent partners) but its
 * language, so the bot can still answer them in it, and when it was erased. What stays, and
 * why: who they must never meet (blocks and reports, both ways: `blk:`), reports and bans about
 * them (`rep:`, `ban:`, kept while they count), de-duplication marks, and the flood bucket (the
 * one budget over every update: erasing must not refill it; it expires by itself). Postgres follows through
 * the journal. A banned user, like for every step, is only told they are banned: they can erase
 * their record once the ban ends.
 */
export const ERASE = `${PRESS_STEP('ARGV[6]')}
local u = redis.call('HMGET', uk, 'state', 'lang')
local partner, dropped = '', 0
if u[1] == 'chatting' then
  partner, dropped = endChat(me, 'erase', false, ${say('partnerLeft')})
elseif u[1] == 'queued' then
  leaveQueue(me)
end
redis.call('DEL', uk, P .. '${KEY.recent}' .. me)
-- 'erased' keeps the rebuild from Postgres from bringing back a profile not yet erased there.
redis.call('HSET', uk, 'erased', int(now))
if u[2] then redis.call('HSET', uk, 'lang', u[2]) end
notice(me, ${say('settingsSaved')} .. '?q=' .. ARGV[6])
notice(me, ${say('erased')})
journal('kind', 'erase', 'chat', me)
return {'erased', partner, dropped}
`;
