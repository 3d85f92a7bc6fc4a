import { KEY } from '../keys.js';
import { BASE } from './base.js';
import { MATCHING } from './matching.js';
import { PROFILE } from './profile.js';
import { QUEUES } from './queues.js';

/** Everything a script may call, in dependency order. */
export const PRELUDE = BASE + QUEUES + MATCHING + PROFILE;

const step = (banCheck: boolean) => `${PRELUDE}
local me = ARGV[3]
if seen(ARGV[4], me, ARGV[5]) then return {'duplicate'} end
redis.call('ZADD', P .. '${KEY.active}', now, me)
${banCheck ? "if banned(me) then return {'banned'} end" : ''}
local uk = ukey(me)
`;

/**
 * The head of a step caused by a user's update. ARGV: prefix, limits, chat, Telegram queue,
 * update id, then the step's own. A redelivered update stops here; so does a banned user: a ban
 * is enforced before any rule runs.
 */
export const USER_STEP = step(true);

/** The same head for what a ban must not stop (the user blocking the bot). */
export const USER_STEP_EVEN_BANNED = step(false);
