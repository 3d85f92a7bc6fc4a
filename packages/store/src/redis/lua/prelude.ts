import type { ReplyName } from '@hamdam/domain';
import { KEY } from '../keys.js';
import { BASE, say } from './base.js';
import { MATCHING } from './matching.js';
import { PROFILE } from './profile.js';
import { QUEUES } from './queues.js';

/** Everything a script may call, in dependency order. */
export const PRELUDE = BASE + QUEUES + MATCHING + PROFILE;

/** A banned user is told again: after banRetoldMs (a minute) when they press Find, else hourly. */
const BAN_RETOLD_MS = { find: 'C.banRetoldMs', other: '3600000' } as const;

interface StepOptions {
  /** How soon a banned user is told again; omitted: a ban does not stop the step. */
  readonly ban?: keyof typeof BAN_RETOLD_MS;
  /** Lua: the message's media group ('' for none), so an album costs one message. */
  readonly album?: string;
  /** Lua: the button press the step answers ('' for none), answered even when flooded. */
  readonly query?: string;
}

// Lua that answers the step's button press (if any) with `reply`, so the client stops waiting.
const answer = (o: StepOptions, reply: ReplyName): string =>
  o.query ? `if ${o.query} ~= '' then notice(me, ${say(reply)} .. '?q=' .. ${o.query}) end` : '';

const step = (o: StepOptions) => `${PRELUDE}
local me = ARGV[3]
if seen(ARGV[4], me, ARGV[5]) then return {'duplicate'} end
redis.call('ZADD', P .. '${KEY.active}', now, me)
${
  o.ban
    ? `if banned(me, ${BAN_RETOLD_MS[o.ban]}) then
  ${answer(o, 'bannedAnswer')}
  return {'banned'}
end`
    : ''
}
local uk = ukey(me)
local f = floodState(me)
if ARGV[5] ~= '' then
  if flooded(me, f, ${o.album ?? "''"}) then
    ${answer(o, 'floodAnswer')}
    return {'flooded'}
  end
  saveFlood(me, f)
end
`;

/**
 * The head of a step caused by a user's update. ARGV: prefix, limits, chat, Telegram queue,
 * update id, then the step's own. A redelivered update stops here; so does a banned user (a ban
 * is enforced before any rule runs) and a user over their flood budget: every update costs one
 * token of it, whatever it asks. A step without an update (the bot's own follow-up of one, such
 * as redrawing the settings message after a press) costs nothing.
 */
export const USER_STEP = step({ ban: 'other' });

/** The head of Find: a banned user who presses it is told again after a minute. */
export const FIND_STEP = step({ ban: 'find' });

/** The head of a message: an album's parts cost one message together. ARGV 7: media group. */
export const MESSAGE_STEP = step({ ban: 'other', album: 'ARGV[7]' });

/** The head of a button press whose callback query is the Lua expression `query`. */
export const PRESS_STEP = (query: string) => step({ ban: 'other', query });

/**
 * The head of what neither a ban nor flood control may stop (the user blocking the bot): it is
 * not something the bot does for them.
 */
export const USER_STEP_EVEN_BANNED = `${PRELUDE}
local me = ARGV[3]
if seen(ARGV[4], me, ARGV[5]) then return {'duplicate'} end
redis.call('ZADD', P .. '${KEY.active}', now, me)
local uk = ukey(me)
`;
